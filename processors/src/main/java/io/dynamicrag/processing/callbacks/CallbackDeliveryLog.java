package io.dynamicrag.processing.callbacks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The final outcome of every callback delivery ({@code webhook_callback_deliveries}): delivered, failed (after the
 * last attempt), refused (the URL's address is not allowed) or skipped (the webhook was deleted or has no
 * callback_url any more). For operators and support; nothing reads it on the hot path.
 */
@Component
class CallbackDeliveryLog {

    private static final Logger log = LoggerFactory.getLogger(CallbackDeliveryLog.class);

    private final JdbcTemplate jdbc;

    CallbackDeliveryLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(CompletionCallback callback, String outcome, int attempts, Integer lastHttpStatus, String lastError) {
        try {
            jdbc.update("""
                    INSERT INTO webhook_callback_deliveries (id, delivery_id, webhook_id, tenant_id, document_id,
                        version, document_status, outcome, attempts, last_http_status, last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    UUID.randomUUID(), callback.deliveryId(), callback.webhookId().value(),
                    callback.tenantId().value(), callback.documentId().value(), callback.version(), callback.status(),
                    outcome, attempts, lastHttpStatus,
                    lastError == null ? null : lastError.substring(0, Math.min(lastError.length(), 1000)));
        } catch (RuntimeException e) {
            log.warn("Could not record the {} callback delivery {} of webhook {}: {}", outcome,
                    callback.deliveryId(), callback.webhookId(), e.toString());
        }
    }
}
