package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.Map;

/**
 * A submitted document or version in {@code documents} and {@code document_versions}: written by two projections
 * (at the command's commit and again by the streaming projection, or on a replay), so applying an event a second
 * time changes nothing and announces nothing; a later version is never overwritten by an earlier one.
 */
@Component
class SubmittedDocumentRows {

    private final JdbcTemplate jdbc;
    private final DocumentStatusBroadcast statuses;
    private final ObjectMapper json = new ObjectMapper();

    SubmittedDocumentRows(JdbcTemplate jdbc, DocumentStatusBroadcast statuses) {
        this.jdbc = jdbc;
        this.statuses = statuses;
    }

    void apply(DocumentSubmittedEvent event) {
        Timestamp at = Timestamp.from(event.submittedAt());
        int documents = jdbc.update("""
                INSERT INTO documents (id, customer_id, title, doc_type, source_url, external_id, metadata, s3_key,
                                       content_hash, file_size_bytes, version, status, processing_started_at,
                                       created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, 'processing', ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, doc_type = EXCLUDED.doc_type,
                    source_url = COALESCE(EXCLUDED.source_url, documents.source_url),
                    metadata = CASE WHEN EXCLUDED.metadata = '{}'::jsonb THEN documents.metadata
                                    ELSE EXCLUDED.metadata END,
                    s3_key = EXCLUDED.s3_key, content_hash = EXCLUDED.content_hash,
                    file_size_bytes = EXCLUDED.file_size_bytes, version = EXCLUDED.version, status = 'processing',
                    error_message = NULL, page_count = NULL, processing_time_ms = NULL, chunk_count = 0,
                    character_count = 0,
                    processing_started_at = EXCLUDED.processing_started_at, updated_at = EXCLUDED.updated_at
                WHERE documents.version < EXCLUDED.version""",
                event.documentId().value(), event.tenantId().value(), event.title(), event.docType(),
                event.sourceUrl(), event.externalId(), toJson(event.metadata()), event.rawBlobKey(),
                event.contentHash(), event.sizeBytes(), event.version(), at, at, at);
        // the new version becomes active when it is indexed; until then the previous one keeps serving search
        int versions = jdbc.update("""
                INSERT INTO document_versions (document_id, version, content_hash, s3_key, file_size_bytes, is_active,
                                               status, created_at)
                VALUES (?, ?, ?, ?, ?, false, 'processing', ?)
                ON CONFLICT (document_id, version) DO NOTHING""",
                event.documentId().value(), event.version(), event.contentHash(), event.rawBlobKey(),
                event.sizeBytes(), at);
        if (documents > 0 || versions > 0) {
            statuses.changed(event.tenantId(), event.documentId());
        }
    }

    private String toJson(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not serialisable", e);
        }
    }
}
