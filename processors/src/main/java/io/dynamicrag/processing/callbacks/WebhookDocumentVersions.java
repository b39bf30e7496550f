package io.dynamicrag.processing.callbacks;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * Which webhook delivered which document version ({@code webhook_document_versions}), written by the
 * completion-callbacks processor itself from the submission event, so it is always there before the same
 * processor sees that version complete or fail.
 */
@Component
class WebhookDocumentVersions {

    private final JdbcTemplate jdbc;

    WebhookDocumentVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void remember(DocumentId document, int version, WebhookId webhook, TenantId tenant) {
        jdbc.update("""
                INSERT INTO webhook_document_versions (document_id, version, webhook_id, tenant_id)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (document_id, version) DO NOTHING""",
                document.value(), version, webhook.value(), tenant.value());
    }

    Optional<WebhookId> webhookOf(DocumentId document, int version) {
        return jdbc.query("SELECT webhook_id FROM webhook_document_versions WHERE document_id = ? AND version = ?",
                        (rs, i) -> new WebhookId(rs.getObject(1, UUID.class)), document.value(), version)
                .stream().findFirst();
    }

    void forget(DocumentId document) {
        jdbc.update("DELETE FROM webhook_document_versions WHERE document_id = ?", document.value());
    }
}
