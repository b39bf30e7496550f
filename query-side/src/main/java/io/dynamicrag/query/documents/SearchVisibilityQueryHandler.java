package io.dynamicrag.query.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.search.api.query.FindVisibleDocumentsQuery;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.kernel.search.api.query.SearchableDocument;
import io.dynamicrag.kernel.search.api.query.VisibleDocuments;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Which of a tenant's documents a search may return and at which version (for the search handlers in processors,
 * which hold the index but not the read model): the active version, or version n when history is asked for and
 * version n completed processing. Deleted documents have no row, so they are never visible. Filters on document
 * ids, type, metadata (JSONB containment) and creation time are resolved here, in one indexed SQL query, always
 * scoped by the query's tenant: a document id of another tenant matches nothing.
 *
 * <p>Read with JDBC, not R2DBC like the controllers' reads: only blocking callers send this query (the search
 * handlers, on bounded-elastic threads), so it is answered in the caller's thread, without a hop to R2DBC's event
 * loop. Measured here on the local query bus: 0.36-0.41 ms with JDBC, 0.49-0.59 ms with R2DBC (the bare JDBC read
 * 0.08-0.15 ms); a search asks once, or once per round of candidates.
 */
@Component
class SearchVisibilityQueryHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    SearchVisibilityQueryHandler(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    VisibleDocuments handle(FindVisibleDocumentsQuery query) {
        if (query.among() != null && query.among().isEmpty()) {
            return new VisibleDocuments(List.of());
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (query.asOfVersion() == null) {
            sql.append("""
                    SELECT d.id, d.active_version AS version, d.title, d.doc_type, d.source_url FROM documents d
                    WHERE d.customer_id = ? AND d.active_version IS NOT NULL""");
        } else {
            // a version that completed processing (a failed or still running one was never searchable)
            sql.append("""
                    SELECT d.id, v.version, d.title, d.doc_type, d.source_url FROM documents d
                    JOIN document_versions v ON v.document_id = d.id AND v.version = ? AND v.status = 'completed'
                    WHERE d.customer_id = ?""");
            args.add(query.asOfVersion());
        }
        args.add(query.tenantId().value());
        if (query.among() != null) {
            sql.append(" AND d.id = ANY (?)");
            args.add(ids(query.among()));
        }
        SearchFilters filters = query.filters();
        if (filters.documentIds() != null) {
            sql.append(" AND d.id = ANY (?)");
            args.add(ids(filters.documentIds()));
        }
        if (filters.docType() != null) {
            sql.append(" AND d.doc_type = ?");
            args.add(filters.docType().trim().toLowerCase(Locale.ROOT));
        }
        if (filters.metadata() != null && !filters.metadata().isEmpty()) {
            // containment: every given key holds exactly the given (text) value
            sql.append(" AND d.metadata @> ?::jsonb");
            args.add(json(filters.metadata()));
        }
        if (filters.createdAfter() != null) {
            sql.append(" AND d.created_at >= ?");
            args.add(Timestamp.from(filters.createdAfter()));
        }
        if (filters.createdBefore() != null) {
            sql.append(" AND d.created_at < ?");
            args.add(Timestamp.from(filters.createdBefore()));
        }
        return new VisibleDocuments(jdbc.query(sql.toString(),
                (rs, i) -> new SearchableDocument(new DocumentId(rs.getObject(1, UUID.class)), rs.getInt(2),
                        rs.getString(3), rs.getString(4), rs.getString(5)),
                args.toArray()));
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
