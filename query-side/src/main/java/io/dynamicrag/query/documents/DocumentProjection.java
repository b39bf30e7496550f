package io.dynamicrag.query.documents;

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

/**
 * Builds {@code documents} and {@code document_versions}. Runs in the event processor's transaction (JDBC, same
 * connection as the token update), so each event is applied exactly once; every statement is also idempotent so
 * a replay from an empty table gives the same rows. Status changes are announced to every node's subscribers
 * through {@link DocumentStatusBroadcast} (committed with the rows), not emitted here: the subscriber of a status
 * query may live in another process. A submission's rows are normally written first by
 * {@link DocumentIntakeProjection}, in the submitting command's transaction; this projection applies the same
 * event again (a no-op) and alone rebuilds them on a replay.
 */
@Component
@ProcessingGroup(DocumentProjection.PROCESSING_GROUP)
class DocumentProjection {

    static final String PROCESSING_GROUP = "document-projection";

    private final JdbcTemplate jdbc;
    private final DocumentStatusBroadcast statuses;
    private final SubmittedDocumentRows submittedRows;

    DocumentProjection(JdbcTemplate jdbc, DocumentStatusBroadcast statuses, SubmittedDocumentRows submittedRows) {
        this.jdbc = jdbc;
        this.statuses = statuses;
        this.submittedRows = submittedRows;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event) {
        // usually already written by DocumentIntakeProjection in the submitting command's transaction: then a no-op
        submittedRows.apply(event);
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
}
