package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.TenantId;

/** Chunks of the tenant's own index closest in meaning to the query text. */
public record FindSimilarChunksQuery(TenantId tenantId, String query, int topK) {
}
