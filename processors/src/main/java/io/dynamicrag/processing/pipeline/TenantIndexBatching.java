package io.dynamicrag.processing.pipeline;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tenant index writers' processor takes events in batches of up to {@code rag.index.write-batch} (default 64):
 * under load the events of many documents wait while one batch is written, so the next batch writes them all in one
 * Lance commit per dataset, where one commit per document had made the index writer the pipeline's bottleneck. After
 * the last event of a batch, {@link TenantIndexWriter#flushPending()} writes what the batch collected, inside the
 * batch's transaction (its token advances only with the write).
 */
@Configuration
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class TenantIndexBatching {

    @Bean
    ConfigurerModule tenantIndexWritesInBatches(ObjectProvider<TenantIndexWriter> writer,
                                                @Value("${rag.index.write-batch:64}") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalStateException("rag.index.write-batch (RAG_INDEX_WRITE_BATCH) must be at least 1, was "
                    + batchSize);
        }
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(TenantIndexWriter.PROCESSING_GROUP,
                        (axon, builder) -> builder.batchSize(batchSize))
                .registerHandlerInterceptor(TenantIndexWriter.PROCESSING_GROUP,
                        axon -> flushAtTheEndOfEachBatch(writer)));
    }

    private static MessageHandlerInterceptor<EventMessage<?>> flushAtTheEndOfEachBatch(
            ObjectProvider<TenantIndexWriter> writer) {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (!(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isLastMessage()) {
                writer.getObject().flushPending();
            }
            return result;
        };
    }
}
