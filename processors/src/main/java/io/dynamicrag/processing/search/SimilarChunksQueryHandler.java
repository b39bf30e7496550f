package io.dynamicrag.processing.search;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
import io.dynamicrag.kernel.search.api.query.SearchHit;
import io.dynamicrag.kernel.search.api.query.SearchResults;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import io.dynamicrag.processing.index.ChunkHit;
import io.dynamicrag.processing.index.TenantChunkIndex;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Vector search in the caller's own Lance dataset; the tenant comes from the authenticated query, never from input.
 * Hits are kept only when their version is the document's active one in the read model, so chunks of a superseded
 * version (before maintenance removes them) or of a deleted document (before its cleanup runs) never show.
 */
@Component
class SimilarChunksQueryHandler {

    /** Extra candidates fetched so that dropping stale rows still leaves top_k results. */
    private static final int OVERFETCH = 20;

    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final TenantChunkIndex index;
    private final JdbcTemplate jdbc;

    SimilarChunksQueryHandler(TenantEmbedders embedders, TenantIndexSpaces spaces, TenantChunkIndex index,
                              JdbcTemplate jdbc) {
        this.embedders = embedders;
        this.spaces = spaces;
        this.index = index;
        this.jdbc = jdbc;
    }

    @QueryHandler
    SearchResults handle(FindSimilarChunksQuery query) {
        // one generation for the whole query: the query vector and the dataset come from the same model
        IndexSpace space = spaces.serving(query.tenantId());
        float[] vector = embedders.forModel(query.tenantId(), space.embeddingModel()).embed(query.query());
        List<ChunkHit> candidates = index.nearest(space, vector, query.topK() * 2 + OVERFETCH);
        Map<String, ActiveDocument> active = activeVersions(query.tenantId(), candidates);
        return new SearchResults(candidates.stream()
                .filter(hit -> active.containsKey(hit.documentId())
                        && active.get(hit.documentId()).version() == hit.version())
                .limit(query.topK())
                .map(hit -> new SearchHit(hit.documentId(), hit.title(), hit.chunkIndex(), hit.text(), hit.score(),
                        hit.version(), active.get(hit.documentId()).sourceUrl()))
                .toList());
    }

    private record ActiveDocument(int version, String sourceUrl) {
    }

    private Map<String, ActiveDocument> activeVersions(TenantId tenant, List<ChunkHit> hits) {
        Map<String, ActiveDocument> active = new HashMap<>();
        if (hits.isEmpty()) {
            return active;
        }
        UUID[] ids = hits.stream().map(hit -> UUID.fromString(hit.documentId())).distinct().toArray(UUID[]::new);
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    SELECT id::text, active_version, source_url FROM documents
                    WHERE customer_id = ? AND id = ANY (?) AND active_version IS NOT NULL""");
            Array array = connection.createArrayOf("uuid", ids);
            statement.setObject(1, tenant.value());
            statement.setArray(2, array);
            return statement;
        }, rs -> {
            active.put(rs.getString(1), new ActiveDocument(rs.getInt(2), rs.getString(3)));
        });
        return active;
    }
}
