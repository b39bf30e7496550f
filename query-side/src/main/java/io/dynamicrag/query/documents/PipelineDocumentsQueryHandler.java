package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.query.ActiveDocumentVersion;
import io.dynamicrag.kernel.ingestion.api.query.FindActiveDocumentVersionsQuery;
import io.dynamicrag.kernel.ingestion.api.query.FindStalledDocumentsQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * What the pipeline (processors) needs to know of the document read model, which it does not read itself. Read
 * with JDBC in the caller's thread: only the processors' blocking threads ask (see
 * {@link SearchVisibilityQueryHandler}).
 */
@Component
class PipelineDocumentsQueryHandler {

    private final JdbcTemplate jdbc;

    PipelineDocumentsQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The tenant's served documents, oldest first; scoped by the query's tenant. */
    @QueryHandler
    List<ActiveDocumentVersion> handle(FindActiveDocumentVersionsQuery query) {
        return jdbc.query("""
                        SELECT id, active_version, title FROM documents
                        WHERE customer_id = ? AND active_version IS NOT NULL ORDER BY created_at, id""",
                (rs, i) -> new ActiveDocumentVersion(new DocumentId(rs.getObject(1, UUID.class)), rs.getInt(2),
                        rs.getString(3)),
                query.tenantId().value());
    }

    /**
     * Documents of every tenant whose processing made no progress for the given time (the system's stall sweep):
     * ids only, least recently changed first. {@code idx_documents_status} keeps this one index scan.
     */
    @QueryHandler
    List<DocumentId> handle(FindStalledDocumentsQuery query) {
        return jdbc.query("""
                        SELECT id FROM documents
                        WHERE status = 'processing' AND updated_at < now() - make_interval(secs => ?)
                        ORDER BY updated_at LIMIT ?""",
                (rs, i) -> new DocumentId(rs.getObject(1, UUID.class)),
                query.quietFor().toMillis() / 1000.0, query.limit());
    }
}
