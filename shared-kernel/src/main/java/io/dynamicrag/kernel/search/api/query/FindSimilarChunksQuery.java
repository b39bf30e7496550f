package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Objects;

/**
 * Chunks of the tenant's own index that best answer the query text.
 *
 * @param asOfVersion null: each document's active version only; n: each document's version n (history), for
 *                    documents that have one
 */
public record FindSimilarChunksQuery(
        TenantId tenantId,
        String query,
        int topK,
        SearchMode mode,
        SearchFilters filters,
        Integer asOfVersion) {

    public FindSimilarChunksQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        mode = mode == null ? SearchMode.HYBRID : mode;
        filters = filters == null ? SearchFilters.none() : filters;
    }

    /** Hybrid search over active versions, no filters. */
    public FindSimilarChunksQuery(TenantId tenantId, String query, int topK) {
        this(tenantId, query, topK, SearchMode.HYBRID, SearchFilters.none(), null);
    }
}
