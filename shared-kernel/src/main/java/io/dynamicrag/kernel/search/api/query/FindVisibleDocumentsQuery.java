package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

import java.util.List;
import java.util.Objects;

/**
 * The tenant's documents a search may return, each at the version it may return: the active version, or version
 * {@code asOfVersion} where that version completed processing. Deleted documents are never visible. Answered from
 * the document read model (query side) for the search handlers (processors), which hold the index but not the
 * documents' current type, metadata and creation time. Answer: {@link VisibleDocuments}.
 *
 * @param filters     restrictions; {@link SearchFilters#none()} restricts nothing
 * @param among       null: every document passing the filters; else only these (a search's candidates)
 * @param asOfVersion null: active versions; n: version n (history)
 */
public record FindVisibleDocumentsQuery(TenantId tenantId, SearchFilters filters, List<DocumentId> among,
                                        Integer asOfVersion) {

    public FindVisibleDocumentsQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        filters = filters == null ? SearchFilters.none() : filters;
        among = among == null ? null : List.copyOf(among);
    }
}
