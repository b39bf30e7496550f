package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Presigned uploads handed out and not yet turned into documents. Only the tenant that asked can complete one. */
@Component
class PendingUploads {

    private final JdbcTemplate jdbc;
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    PendingUploads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void create(Upload upload) {
        try {
            jdbc.update("""
                    INSERT INTO pending_uploads (id, tenant_id, blob_key, filename, content_type, title, external_id,
                                                 source_url, metadata, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""",
                    upload.id(), upload.tenant().value(), upload.blobKey(), upload.filename(), upload.contentType(),
                    upload.title(), upload.externalId(), upload.sourceUrl(),
                    json.writeValueAsString(upload.metadata()), Timestamp.from(upload.expiresAt()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serialisable", e);
        }
    }

    Optional<Upload> find(TenantId tenant, UUID id) {
        return jdbc.query("""
                        SELECT id, blob_key, filename, content_type, title, external_id, source_url, metadata::text,
                               expires_at, document_id
                        FROM pending_uploads WHERE id = ? AND tenant_id = ?""",
                (rs, i) -> new Upload(rs.getObject(1, UUID.class), tenant, rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), metadata(rs.getString(8)),
                        rs.getTimestamp(9).toInstant(), rs.getObject(10, UUID.class)),
                id, tenant.value()).stream().findFirst();
    }

    void complete(UUID id, String documentId) {
        jdbc.update("UPDATE pending_uploads SET document_id = ?::uuid WHERE id = ?", documentId, id);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> metadata(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of();
        }
    }

    record Upload(UUID id, TenantId tenant, String blobKey, String filename, String contentType, String title,
                  String externalId, String sourceUrl, Map<String, String> metadata, Instant expiresAt,
                  UUID documentId) {
    }
}
