package io.dynamicrag.kernel.ingestion.api.query;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Objects;

/**
 * Every document of the tenant that search serves, with the version it serves and its title, oldest document first
 * (re-embedding after a model change walks them). Answer: a list of {@link ActiveDocumentVersion}.
 */
public record FindActiveDocumentVersionsQuery(TenantId tenantId) {

    public FindActiveDocumentVersionsQuery {
        Objects.requireNonNull(tenantId, "tenantId");
    }
}
