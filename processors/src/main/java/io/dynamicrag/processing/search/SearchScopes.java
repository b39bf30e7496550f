package io.dynamicrag.processing.search;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.search.api.query.FindVisibleDocumentsQuery;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.kernel.search.api.query.SearchableDocument;
import io.dynamicrag.kernel.search.api.query.VisibleDocuments;
import io.dynamicrag.processing.index.ChunkFilter;
import io.dynamicrag.processing.readmodel.ReadModelQueries;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which documents of a tenant a search may return and at which version: the active version, or version n when
 * history ({@code as_of_version}) is asked for. The document read model belongs to the query side, so this asks it
 * ({@link FindVisibleDocumentsQuery}, always with the searching tenant): filters on document ids, type, metadata and
 * creation time are resolved there, in SQL, because the read model holds them and keeps them current; the chunk
 * index then prefilters by the resulting document ids. One query per search when filters are given, else one per
 * round of candidates ({@link CandidateCollector}): the same SQL round trips as when this class read the table.
 */
@Component
class SearchScopes {

    private final ReadModelQueries queries;

    SearchScopes(ReadModelQueries queries) {
        this.queries = queries;
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
        return Optional.of(ask(new FindVisibleDocumentsQuery(tenant, filters, null, asOfVersion)));
    }

    /** Those of the given documents that are visible, with their visible version. */
    Map<UUID, VisibleDocument> visibleAmong(TenantId tenant, Collection<UUID> documents, Integer asOfVersion) {
        if (documents.isEmpty()) {
            return Map.of();
        }
        return ask(new FindVisibleDocumentsQuery(tenant, SearchFilters.none(),
                documents.stream().distinct().map(DocumentId::new).toList(), asOfVersion));
    }

    private Map<UUID, VisibleDocument> ask(FindVisibleDocumentsQuery query) {
        VisibleDocuments answer = queries.one(query, VisibleDocuments.class);
        Map<UUID, VisibleDocument> visible = new HashMap<>(answer.documents().size() * 2);
        for (SearchableDocument document : answer.documents()) {
            visible.put(document.documentId().value(), new VisibleDocument(document.version(), document.title(),
                    document.docType(), document.sourceUrl()));
        }
        return visible;
    }
}
