package io.dynamicrag.processing.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.processing.index.ChunkFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Answers, from the PostgreSQL read model, which documents of a tenant a search may return and at which version:
 * the active version, or version n when history ({@code as_of_version}) is asked for. Deleted documents have no row,
 * so they are never visible. Filters on document ids, type, metadata and creation time are resolved here, in SQL,
 * because the read model holds them (metadata as JSONB) and keeps them current; the chunk index then prefilters by
 * the resulting document ids.
 */
@Component
class SearchScopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    SearchScopes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Beyond this many documents a filter is checked after the index query (with deeper fetches) instead of as a
     * Lance {@code document_id IN (...)} prefilter, whose cost grows with the list: on 20,000 chunks (384-d) a
     * prefiltered kNN took 9-17 ms with 1,000 ids and 225-250 ms with 5,000 (BM25: 8-11 ms and 64-140 ms).
     */
    static final int MAX_PREFILTER_DOCUMENTS = 1_000;

    /** What one search may see: the Lance prefilter and the visibility check for candidates. */
    record Scope(ChunkFilter prefilter, Function<Collection<UUID>, Map<UUID, VisibleDocument>> visibility) {

        boolean matchesNothing() {
            return prefilter.matchesNothing();
        }
    }

    /** The scope of a search of the tenant's documents with these filters, at the active version or version n. */
    Scope scope(TenantId tenant, SearchFilters filters, Integer asOfVersion) {
        Optional<Map<UUID, VisibleDocument>> restricted = restrictedTo(tenant, filters, asOfVersion);
        if (restricted.isEmpty()) {
            return new Scope(new ChunkFilter(null, asOfVersion), ids -> visibleAmong(tenant, ids, asOfVersion));
        }
        Map<UUID, VisibleDocument> allowed = restricted.get();
        ChunkFilter prefilter = new ChunkFilter(
                allowed.size() <= MAX_PREFILTER_DOCUMENTS ? allowed.keySet() : null, asOfVersion);
        return new Scope(prefilter, ids -> allowed);
    }

    /**
     * Every document that passes the filters, with its visible version; empty when the filters restrict nothing
     * (then visibility is checked per candidate with {@link #visibleAmong}).
     */
    Optional<Map<UUID, VisibleDocument>> restrictedTo(TenantId tenant, SearchFilters filters, Integer asOfVersion) {
        if (filters.isEmpty()) {
            return Optional.empty();
        }
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        if (filters.documentIds() != null) {
            where.append(" AND d.id = ANY (?)");
            args.add(filters.documentIds().stream().map(DocumentId::value).toArray(UUID[]::new));
        }
        if (filters.docType() != null) {
            where.append(" AND d.doc_type = ?");
            args.add(filters.docType().trim().toLowerCase(Locale.ROOT));
        }
        if (filters.metadata() != null && !filters.metadata().isEmpty()) {
            // containment: every given key holds exactly the given (text) value
            where.append(" AND d.metadata @> ?::jsonb");
            args.add(json(filters.metadata()));
        }
        if (filters.createdAfter() != null) {
            where.append(" AND d.created_at >= ?");
            args.add(Timestamp.from(filters.createdAfter()));
        }
        if (filters.createdBefore() != null) {
            where.append(" AND d.created_at < ?");
            args.add(Timestamp.from(filters.createdBefore()));
        }
        return Optional.of(query(tenant, asOfVersion, where.toString(), args));
    }

    /** Those of the given documents that are visible, with their visible version. */
    Map<UUID, VisibleDocument> visibleAmong(TenantId tenant, Collection<UUID> documents, Integer asOfVersion) {
        if (documents.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(documents.stream().distinct().toArray(UUID[]::new));
        return query(tenant, asOfVersion, " AND d.id = ANY (?)", args);
    }

    private Map<UUID, VisibleDocument> query(TenantId tenant, Integer asOfVersion, String where, List<Object> filterArgs) {
        List<Object> args = new ArrayList<>();
        String sql;
        if (asOfVersion == null) {
            sql = "SELECT d.id, d.active_version, d.title, d.doc_type, d.source_url FROM documents d"
                    + " WHERE d.customer_id = ? AND d.active_version IS NOT NULL" + where;
        } else {
            // a version that completed processing (a failed or still running one was never searchable)
            sql = "SELECT d.id, v.version, d.title, d.doc_type, d.source_url FROM documents d"
                    + " JOIN document_versions v ON v.document_id = d.id AND v.version = ? AND v.status = 'completed'"
                    + " WHERE d.customer_id = ?" + where;
            args.add(asOfVersion);
        }
        args.add(tenant.value());
        args.addAll(filterArgs);
        Map<UUID, VisibleDocument> visible = new HashMap<>();
        jdbc.query(sql, rs -> {
            visible.put(rs.getObject(1, UUID.class), new VisibleDocument(rs.getInt(2), rs.getString(3),
                    rs.getString(4), rs.getString(5)));
        }, args.toArray());
        return visible;
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata filter cannot be written as JSON", e);
        }
    }
}
