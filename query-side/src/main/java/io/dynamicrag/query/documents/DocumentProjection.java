package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.Map;

/**
 * Builds {@code documents} and {@code document_versions}. Runs in the event processor's transaction (JDBC, same
 * connection as the token update), so each event is applied exactly once; every statement is also idempotent so
 * a replay from an empty table gives the same rows. Status changes are announced to every node's subscribers
 * through {@link DocumentStatusBroadcast} (committed with the rows), not emitted here: the subscriber of a status
 * query may live in another process.
 */
@Component
@ProcessingGroup(DocumentProjection.PROCESSING_GROUP)
class DocumentProjection {

    static final String PROCESSING_GROUP = "document-projection";

    private final JdbcTemplate jdbc;
    private final DocumentStatusBroadcast statuses;
    private final ObjectMapper json = new ObjectMapper();

    DocumentProjection(JdbcTemplate jdbc, DocumentStatusBroadcast statuses) {
        this.jdbc = jdbc;
        this.statuses = statuses;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event) {
        Timestamp at = Timestamp.from(event.submittedAt());
        jdbc.update("""
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
        jdbc.update("""
                INSERT INTO document_versions (document_id, version, content_hash, s3_key, file_size_bytes, is_active,
                                               status, created_at)
                VALUES (?, ?, ?, ?, ?, false, 'processing', ?)
                ON CONFLICT (document_id, version) DO NOTHING""",
                event.documentId().value(), event.version(), event.contentHash(), event.rawBlobKey(),
                event.sizeBytes(), at);
        statuses.changed(event.tenantId(), event.documentId());
    }

    @EventHandler
    void on(DocumentReprocessingStartedEvent event) {
        jdbc.update("""
                UPDATE documents SET status = 'processing', error_message = NULL, processing_time_ms = NULL,
                    processing_started_at = ?, updated_at = ?
                WHERE id = ? AND version = ?""",
                Timestamp.from(event.startedAt()), Timestamp.from(event.startedAt()), event.documentId().value(),
                event.version());
        jdbc.update("""
                UPDATE document_versions SET status = 'processing', error_message = NULL
                WHERE document_id = ? AND version = ?""", event.documentId().value(), event.version());
        statuses.changed(event.tenantId(), event.documentId());
    }

    @EventHandler
    void on(DocumentDeletedEvent event) {
        jdbc.update("DELETE FROM document_versions WHERE document_id = ?", event.documentId().value());
        jdbc.update("DELETE FROM documents WHERE id = ?", event.documentId().value());
        statuses.deleted(event.tenantId(), event.documentId(), event.lastVersion());
    }

    @EventHandler
    void on(DocumentParsedEvent event) {
        jdbc.update("""
                UPDATE documents SET character_count = ?, page_count = ?, updated_at = now()
                WHERE id = ? AND version = ?""",
                event.characterCount(), event.pageCount(), event.documentId().value(), event.version());
    }

    @EventHandler
    void on(DocumentChunkedEvent event) {
        jdbc.update("UPDATE documents SET chunk_count = ?, updated_at = now() WHERE id = ? AND version = ?",
                event.chunkCount(), event.documentId().value(), event.version());
    }

    @EventHandler
    void on(DocumentEmbeddedEvent event) {
        jdbc.update("""
                UPDATE documents SET embedding_tokens_used = ?, embedding_cost_usd = ?, updated_at = now()
                WHERE id = ? AND version = ?""",
                event.tokens(), event.costUsd(), event.documentId().value(), event.version());
    }

    @EventHandler
    void on(DocumentIndexedEvent event) {
        jdbc.update("""
                UPDATE documents SET status = 'completed', chunk_count = ?, error_message = NULL, active_version = version,
                    processing_time_ms = GREATEST(0, (EXTRACT(EPOCH FROM (?::timestamptz
                        - COALESCE(processing_started_at, created_at))) * 1000)::bigint),
                    updated_at = ?
                WHERE id = ? AND version = ?""",
                event.chunkCount(), Timestamp.from(event.indexedAt()), Timestamp.from(event.indexedAt()),
                event.documentId().value(), event.version());
        jdbc.update("""
                UPDATE document_versions SET status = CASE WHEN version = ? THEN 'completed' ELSE status END,
                    is_active = (version = ?)
                WHERE document_id = ?""", event.version(), event.version(), event.documentId().value());
        statuses.changed(event.tenantId(), event.documentId());
    }

    @EventHandler
    void on(DocumentProcessingFailedEvent event) {
        jdbc.update("""
                UPDATE documents SET status = 'failed', error_message = ?, updated_at = ?
                WHERE id = ? AND version = ?""",
                event.stage() + ": " + event.reason(), Timestamp.from(event.failedAt()),
                event.documentId().value(), event.version());
        jdbc.update("UPDATE document_versions SET status = 'failed', error_message = ? WHERE document_id = ? AND version = ?",
                event.stage() + ": " + event.reason(), event.documentId().value(), event.version());
        statuses.changed(event.tenantId(), event.documentId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE document_versions, documents");
    }

    private String toJson(Map<String, String> metadata) {
        try {
            return json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not serialisable", e);
        }
    }
}
