package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.tenancy.api.event.OpenAiKeyConfiguredEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantConfigurationChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts re-embedding when a tenant's {@code embedding_model} changes, or when it sets a key after a change that
 * failed for want of one; at start-up, resumes every change a stop interrupted. In the tenant index writers'
 * processor, so the request reaches the node that writes that tenant's index.
 */
@Component
@ProcessingGroup(TenantIndexWriter.PROCESSING_GROUP)
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class EmbeddingModelChanges {

    private final TenantReembedding reembedding;

    EmbeddingModelChanges(TenantReembedding reembedding) {
        this.reembedding = reembedding;
    }

    @EventHandler
    void on(TenantConfigurationChangedEvent event) {
        reembedding.request(event.tenantId());
    }

    @EventHandler
    void on(OpenAiKeyConfiguredEvent event) {
        if (event.configured()) {
            reembedding.request(event.tenantId());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeInterruptedChanges() {
        reembedding.reconcileAll();
    }
}
