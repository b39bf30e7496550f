package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.query.ActiveDocumentVersion;
import io.dynamicrag.kernel.ingestion.api.query.FindActiveDocumentVersionsQuery;
import io.dynamicrag.kernel.ingestion.api.query.FindStalledDocumentsQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** What the pipeline (processors) needs to know of the document read model, which it does not read itself. */
@Component
class PipelineDocumentsQueryHandler {

    private final DatabaseClient db;

    PipelineDocumentsQueryHandler(DatabaseClient db) {
        this.db = db;
    }

    /** The tenant's served documents, oldest first; scoped by the query's tenant. */
    @QueryHandler
    CompletableFuture<List<ActiveDocumentVersion>> handle(FindActiveDocumentVersionsQuery query) {
        return db.sql("""
                        SELECT id, active_version, title FROM documents
                        WHERE customer_id = :tenant AND active_version IS NOT NULL ORDER BY created_at, id""")
                .bind("tenant", query.tenantId().value())
                .map(row -> new ActiveDocumentVersion(new DocumentId(row.get("id", UUID.class)),
                        row.get("active_version", Integer.class), row.get("title", String.class)))
                .all()
                .collectList()
                .toFuture();
    }

    /**
     * Documents of every tenant whose processing made no progress for the given time (the system's stall sweep):
     * ids only, least recently changed first. {@code idx_documents_status} keeps this one index scan.
     */
    @QueryHandler
    CompletableFuture<List<DocumentId>> handle(FindStalledDocumentsQuery query) {
        return db.sql("""
                        SELECT id FROM documents
                        WHERE status = 'processing' AND updated_at < now() - make_interval(secs => :seconds)
                        ORDER BY updated_at LIMIT :limit""")
                .bind("seconds", query.quietFor().toMillis() / 1000.0)
                .bind("limit", query.limit())
                .map(row -> new DocumentId(row.get("id", UUID.class)))
                .all()
                .collectList()
                .toFuture();
    }
}
