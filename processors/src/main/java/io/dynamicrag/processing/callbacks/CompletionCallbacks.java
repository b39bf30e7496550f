package io.dynamicrag.processing.callbacks;

import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.kernel.webhooks.WebhookDocumentMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Tells a webhook's callback_url when a document version it delivered is done: {@code completed} on
 * {@link DocumentIndexedEvent}, {@code failed} on {@link DocumentProcessingFailedEvent}. Which webhook delivered a
 * version comes from the submission itself (metadata {@code webhook_id}, set by the inbound path), remembered by
 * this same processor, so it is known before the version can finish. Sending is handed to {@link CallbackSender}
 * after the event's unit of work commits; nothing here waits on the network. A replay sends nothing.
 */
@Component
@ProcessingGroup(CompletionCallbacks.PROCESSING_GROUP)
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class CompletionCallbacks {

    static final String PROCESSING_GROUP = "completion-callbacks";

    private final WebhookDocumentVersions versions;
    private final CallbackSender sender;

    CompletionCallbacks(WebhookDocumentVersions versions, CallbackSender sender) {
        this.versions = versions;
        this.sender = sender;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event) {
        webhookOf(event).ifPresent(webhook -> versions.remember(event.documentId(), event.version(), webhook,
                event.tenantId()));
    }

    @EventHandler
    @DisallowReplay
    void on(DocumentIndexedEvent event) {
        versions.webhookOf(event.documentId(), event.version()).ifPresent(webhook -> sendAfterCommit(
                new CompletionCallback(webhook, event.tenantId(), event.documentId(), event.version(),
                        CompletionCallback.COMPLETED)));
    }

    @EventHandler
    @DisallowReplay
    void on(DocumentProcessingFailedEvent event) {
        versions.webhookOf(event.documentId(), event.version()).ifPresent(webhook -> sendAfterCommit(
                new CompletionCallback(webhook, event.tenantId(), event.documentId(), event.version(),
                        CompletionCallback.FAILED)));
    }

    @EventHandler
    void on(DocumentDeletedEvent event) {
        versions.forget(event.documentId());
    }

    private void sendAfterCommit(CompletionCallback callback) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> sender.send(callback));
        } else {
            sender.send(callback);
        }
    }

    private static Optional<WebhookId> webhookOf(DocumentSubmittedEvent event) {
        String value = event.metadata() == null ? null : event.metadata().get(WebhookDocumentMetadata.WEBHOOK_ID);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(WebhookId.of(value.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
