package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.search.api.query.FindVisibleDocumentsQuery;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.kernel.search.api.query.SearchableDocument;
import io.dynamicrag.kernel.search.api.query.VisibleDocuments;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Which of a tenant's documents a search may return and at which version (for the search handlers in processors,
 * which hold the index but not the read model): the active version, or version n when history is asked for and
 * version n completed processing. Deleted documents have no row, so they are never visible. Filters on document
 * ids, type, metadata (JSONB containment) and creation time are resolved here, in one indexed SQL query, always
 * scoped by the query's tenant: a document id of another tenant matches nothing.
 */
@Component
class SearchVisibilityQueryHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatabaseClient db;

    SearchVisibilityQueryHandler(DatabaseClient db) {
        this.db = db;
    }

    @QueryHandler
    CompletableFuture<VisibleDocuments> handle(FindVisibleDocumentsQuery query) {
        if (query.among() != null && query.among().isEmpty()) {
            return CompletableFuture.completedFuture(new VisibleDocuments(List.of()));
        }
        Map<String, Object> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder();
        if (query.asOfVersion() == null) {
            sql.append("""
                    SELECT d.id, d.active_version AS version, d.title, d.doc_type, d.source_url FROM documents d
                    WHERE d.customer_id = :tenant AND d.active_version IS NOT NULL""");
        } else {
            // a version that completed processing (a failed or still running one was never searchable)
            sql.append("""
                    SELECT d.id, v.version, d.title, d.doc_type, d.source_url FROM documents d
                    JOIN document_versions v ON v.document_id = d.id AND v.version = :asOf AND v.status = 'completed'
                    WHERE d.customer_id = :tenant""");
            binds.put("asOf", query.asOfVersion());
        }
        binds.put("tenant", query.tenantId().value());
        if (query.among() != null) {
            sql.append(" AND d.id = ANY (:among)");
            binds.put("among", ids(query.among()));
        }
        SearchFilters filters = query.filters();
        if (filters.documentIds() != null) {
            sql.append(" AND d.id = ANY (:documentIds)");
            binds.put("documentIds", ids(filters.documentIds()));
        }
        if (filters.docType() != null) {
            sql.append(" AND d.doc_type = :docType");
            binds.put("docType", filters.docType().trim().toLowerCase(Locale.ROOT));
        }
        if (filters.metadata() != null && !filters.metadata().isEmpty()) {
            // containment: every given key holds exactly the given (text) value
            sql.append(" AND d.metadata @> CAST(:metadata AS jsonb)");
            binds.put("metadata", json(filters.metadata()));
        }
        if (filters.createdAfter() != null) {
            sql.append(" AND d.created_at >= :createdAfter");
            binds.put("createdAfter", filters.createdAfter());
        }
        if (filters.createdBefore() != null) {
            sql.append(" AND d.created_at < :createdBefore");
            binds.put("createdBefore", filters.createdBefore());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec.map(row -> new SearchableDocument(new DocumentId(row.get("id", UUID.class)),
                        row.get("version", Integer.class), row.get("title", String.class),
                        row.get("doc_type", String.class), row.get("source_url", String.class)))
                .all()
                .collectList()
                .map(VisibleDocuments::new)
                .toFuture();
    }

    private static UUID[] ids(List<DocumentId> documents) {
        return documents.stream().map(DocumentId::value).distinct().toArray(UUID[]::new);
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata filter cannot be written as JSON", e);
        }
    }
}
