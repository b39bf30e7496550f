package io.dynamicrag.app.axon;

import io.dynamicrag.app.cluster.ClusterMembership;
import io.dynamicrag.processing.index.TenantIndexOwnership;
import io.dynamicrag.processing.index.TenantSequencingPolicy;
import io.dynamicrag.processing.index.TenantWriteLog;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Axon's own machinery for many nodes on one PostgreSQL (no Axon Server, no queue of our own):
 * <ul>
 *   <li>every streaming event processor is a pooled streaming processor with {@code rag.cluster.segments} segments;
 *       their claims in {@code token_entry} carry this node's id, and each node claims at most its fair share
 *       ({@link ClusterMembership#maxClaimedSegments}): Axon's coordinator releases the surplus when a node joins and
 *       the others take a dead node's segments once its claims time out;</li>
 *   <li>the tenant index writers' processor is sequenced by tenant, so one node at a time writes a tenant's index;</li>
 *   <li>two nodes appending to one aggregate at once: PostgreSQL's unique key on (aggregate, sequence number) turns
 *       the loser's append into a {@code ConcurrencyException}, and the command gateway sends that command again on
 *       the fresh state (every other failure is answered as before, at once).</li>
 * </ul>
 */
@Configuration
public class ClusteredProcessingConfiguration {

    /** A concurrent append is retried this many times, after 20, 40, 80 ... ms (about 5 s in all). */
    static final int CONFLICT_RETRIES = 8;

    @Bean
    public TokenStore tokenStore(ConnectionProvider connections, Serializer serializer, TokenSchema schema,
                                 ClusterMembership membership,
                                 @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .schema(schema)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(membership.nodeId())
                .build();
    }

    /** PostgreSQL reports a duplicate key as SQL state 23505 (not as SQLIntegrityConstraintViolationException). */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    /** Sends a command that lost a concurrent append again; its retry thread stops with the context. */
    @Bean(destroyMethod = "close")
    ConcurrentAppendRetryScheduler concurrentAppendRetries() {
        return ConcurrentAppendRetryScheduler.create(CONFLICT_RETRIES);
    }

    @Bean
    public CommandGateway commandGateway(CommandBus commandBus, ConcurrentAppendRetryScheduler retries) {
        return DefaultCommandGateway.builder().commandBus(commandBus)
                .retryScheduler(retries).build();
    }

    @Bean
    public ConfigurerModule pooledStreamingProcessors(ClusterMembership membership,
                                                      @Value("${rag.cluster.segments:16}") int segments) {
        if (segments < 1 || Integer.bitCount(segments) != 1) {
            throw new IllegalStateException("rag.cluster.segments (RAG_PROCESSOR_SEGMENTS) must be a power of two "
                    + "(Axon splits segments in halves), was " + segments);
        }
        return configurer -> configurer.eventProcessing(processing -> processing
                .usingPooledStreamingEventProcessors((axon, builder) -> builder
                        .initialSegmentCount(segments)
                        .maxSegmentProvider(membership::maxClaimedSegments)
                        // handlers that run for long (an index write, a large batch) keep their claims
                        .enableCoordinatorClaimExtension()));
    }

    /**
     * For processors that must handle one tenant's events on one node in order (named in application.yml by
     * {@code sequencing-policy: tenantSequencingPolicy}): {@code usage-metering}, whose per-tenant daily ledger would
     * otherwise take concurrent appends from every node metering that tenant's documents.
     */
    @Bean
    public SequencingPolicy<EventMessage<?>> tenantSequencingPolicy() {
        return TenantSequencingPolicy.INSTANCE;
    }

    @Bean
    public ConfigurerModule tenantIndexWritersSequencedByTenant() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSequencingPolicy(TenantIndexOwnership.PROCESSOR, axon -> TenantSequencingPolicy.INSTANCE)
                // a write that cannot be done now (database or disk down) is retried in order, never skipped
                .registerListenerInvocationErrorHandler(TenantIndexOwnership.PROCESSOR,
                        axon -> PropagatingErrorHandler.instance()));
    }

    @Bean
    public TenantWriteLog tenantWriteLog(@Value("${rag.cluster.write-log-dir:}") String directory,
                                         ClusterMembership membership) {
        return StringUtils.hasText(directory) ? TenantWriteLog.toFile(Path.of(directory), membership.nodeId())
                : TenantWriteLog.OFF;
    }
}
