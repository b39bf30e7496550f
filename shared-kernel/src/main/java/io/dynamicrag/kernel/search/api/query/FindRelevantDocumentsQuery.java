package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Objects;

/** Documents (not chunks) of the tenant's catalog that are about the query text. */
public record FindRelevantDocumentsQuery(TenantId tenantId, String query, int topK, SearchFilters filters) {

    public FindRelevantDocumentsQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        filters = filters == null ? SearchFilters.none() : filters;
    }
}
