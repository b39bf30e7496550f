package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The payload of one {@code rag_document_status} notification: which document's status changed, never the status
 * itself (each node re-reads the committed row), except for a deletion, whose row is gone: then the last version.
 * Ids and a number only, so a payload stays near 130 bytes, far below NOTIFY's 8000-byte limit whatever a title or
 * an error message holds.
 *
 * <p>Wire form (JSON): {@code {"tenant_id":"<uuid>","document_id":"<uuid>"}}, for a deletion with
 * {@code "deleted":true,"last_version":<n>} added.
 *
 * @param deletedVersion the document's last version when it was deleted; null for any other change
 */
record DocumentStatusNotice(TenantId tenant, DocumentId document, Integer deletedVersion) {

    static final String CHANNEL = "rag_document_status";

    private static final ObjectMapper JSON = new ObjectMapper();

    static DocumentStatusNotice changed(TenantId tenant, DocumentId document) {
        return new DocumentStatusNotice(tenant, document, null);
    }

    static DocumentStatusNotice deleted(TenantId tenant, DocumentId document, int lastVersion) {
        return new DocumentStatusNotice(tenant, document, lastVersion);
    }

    boolean isDeletion() {
        return deletedVersion != null;
    }

    /** The subscription this notice concerns: only a subscriber of the same tenant and document gets the update. */
    FindDocumentStatusQuery query() {
        return new FindDocumentStatusQuery(tenant, document);
    }

    /** What a deleted document's subscribers see (the same view the projection emitted in one process). */
    DocumentStatusView deletedView() {
        return new DocumentStatusView(document.toString(), "deleted", deletedVersion, 0, 0, null);
    }

    String payload() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tenant_id", tenant.toString());
        fields.put("document_id", document.toString());
        if (isDeletion()) {
            fields.put("deleted", true);
            fields.put("last_version", deletedVersion);
        }
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a status notice is not serialisable", e);
        }
    }

    /**
     * Reads a payload; empty when it is not one of ours (anyone who can connect may NOTIFY on the channel, so a
     * stray payload is skipped, never trusted).
     */
    static Optional<DocumentStatusNotice> parse(String payload) {
        if (payload == null || payload.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || !node.path("tenant_id").isTextual() || !node.path("document_id").isTextual()) {
                return Optional.empty();
            }
            TenantId tenant = TenantId.of(node.get("tenant_id").asText());
            DocumentId document = DocumentId.of(node.get("document_id").asText());
            if (!node.path("deleted").asBoolean(false)) {
                return Optional.of(changed(tenant, document));
            }
            JsonNode version = node.path("last_version");
            return version.canConvertToInt() && version.isIntegralNumber()
                    ? Optional.of(deleted(tenant, document, version.intValue()))
                    : Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
