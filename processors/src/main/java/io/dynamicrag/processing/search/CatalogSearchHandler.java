package io.dynamicrag.processing.search;

import io.dynamicrag.kernel.search.api.query.DocumentHit;
import io.dynamicrag.kernel.search.api.query.DocumentSearchResults;
import io.dynamicrag.kernel.search.api.query.FindRelevantDocumentsQuery;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.CatalogHit;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * "Which documents are about X": hybrid search (vector over the summary's embedding, BM25 over title and summary,
 * fused by reciprocal rank) in the caller's catalog; one hit per document, at its active version.
 */
@Component
class CatalogSearchHandler {

    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final LanceTenantCatalog catalog;
    private final SearchScopes scopes;
    private final ReciprocalRankFusion fusion = new ReciprocalRankFusion();

    CatalogSearchHandler(TenantEmbedders embedders, TenantIndexSpaces spaces, LanceTenantCatalog catalog,
                         SearchScopes scopes) {
        this.embedders = embedders;
        this.spaces = spaces;
        this.catalog = catalog;
        this.scopes = scopes;
    }

    @QueryHandler
    DocumentSearchResults handle(FindRelevantDocumentsQuery query) {
        SearchScopes.Scope scope = scopes.scope(query.tenantId(), query.filters(), null);
        if (scope.matchesNothing() || query.topK() <= 0) {
            return new DocumentSearchResults(List.of());
        }
        int depth = SearchDepth.hybrid(query.topK());
        IndexSpace space = spaces.serving(query.tenantId());
        float[] vector = embedders.forModel(query.tenantId(), space.embeddingModel()).embed(query.query());
        List<CandidateCollector.Visible<CatalogHit>> byVector = CandidateCollector.collect(depth,
                n -> catalog.nearest(space, vector, n, scope.prefilter()),
                CatalogSearchHandler::documentOf, CatalogHit::version, scope.visibility());
        List<CandidateCollector.Visible<CatalogHit>> byKeyword = CandidateCollector.collect(depth,
                n -> catalog.matching(space, query.query(), n, scope.prefilter()),
                CatalogSearchHandler::documentOf, CatalogHit::version, scope.visibility());
        return new DocumentSearchResults(fusion.fuse(v -> v.candidate().documentId(), byVector, byKeyword).stream()
                .limit(query.topK())
                .map(fused -> hit(fused.item(), fused.score()))
                .toList());
    }

    private static UUID documentOf(CatalogHit hit) {
        return UUID.fromString(hit.documentId());
    }

    private static DocumentHit hit(CandidateCollector.Visible<CatalogHit> visible, double score) {
        CatalogHit hit = visible.candidate();
        VisibleDocument document = visible.document();
        // the read model is current for title, type and source; the catalog row for the summary of the version
        return new DocumentHit(hit.documentId(), document.title(), hit.version(), document.docType(),
                document.sourceUrl(), hit.summary(), score);
    }
}
