package io.dynamicrag.app.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;


/**
 * Axon without Axon Server: events, tokens and sagas in PostgreSQL (JDBC, tables from Flyway), everything
 * serialised as JSON so auditors can read the event store, and a command bus that runs pipeline steps on fair
 * per-tenant worker lanes instead of on the thread of the event handler that dispatched them.
 */
@Configuration
public class AxonConfiguration {

    /** Axon's own mapper: field access (sagas have no getters), ISO dates, tolerant of added fields. */
    static ObjectMapper axonObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    @Primary
    public Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(axonObjectMapper()).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return JacksonSerializer.builder().objectMapper(axonObjectMapper()).build();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return JacksonSerializer.builder().objectMapper(axonObjectMapper()).build();
    }

    /**
     * Axon Boot's JDBC storage engine, declared here because Boot backs off from it once the application declares
     * its own event store (below).
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration axon,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(axon.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(axon.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }

    /** Axon Boot's event store, with streams that wake their processors promptly ({@link PromptEventStore}). */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    public PromptEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                       @Value("${rag.events.wake-interval:PT0.05S}") java.time.Duration wakeInterval) {
        return new PromptEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class)), wakeInterval);
    }

    /**
     * The projections with a dead-letter queue (application.yml) need a savepoint per event (see the class), and so
     * does document-intake: its failure is logged and left to document-projection, without failing the submission.
     */
    @Bean
    public HandlerEnhancerDefinition savepointPerEvent(PlatformTransactionManager transactions) {
        return new SavepointPerEvent(transactions, java.util.Set.of("document-projection", "document-intake"));
    }

    @Bean(destroyMethod = "close")
    public FairLaneExecutor pipelineExecutor(@Value("${rag.pipeline.worker-threads:4}") int threads) {
        return new FairLaneExecutor(threads, "pipeline");
    }

    @Bean
    public CommandBus commandBus(TransactionManager transactionManager,
                                 org.axonframework.config.Configuration axon,
                                 FairLaneExecutor pipelineExecutor) {
        PipelineAwareCommandBus bus = new PipelineAwareCommandBus(SimpleCommandBus.builder()
                .transactionManager(transactionManager)
                .messageMonitor(axon.messageMonitor(SimpleCommandBus.class, "commandBus")), pipelineExecutor);
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
    }
}
