package io.dynamicrag.processing.callbacks;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One notification: the document version a webhook delivered reached {@code status} (completed or failed).
 * {@link #deliveryId()} is the same for every attempt and for a redelivery of the same event, so a receiver can
 * drop duplicates.
 */
record CompletionCallback(WebhookId webhookId, TenantId tenantId, DocumentId documentId, int version,
                          String status) {

    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    UUID deliveryId() {
        return UUID.nameUUIDFromBytes((webhookId + "|" + documentId + "|" + version + "|" + status)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The body exactly as signed and sent: {@code {"document_id":"...","version":1,"status":"completed"}}. */
    byte[] body() {
        // ids are UUIDs and the status a fixed word: nothing to escape
        return ("{\"document_id\":\"" + documentId + "\",\"version\":" + version + ",\"status\":\"" + status + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
