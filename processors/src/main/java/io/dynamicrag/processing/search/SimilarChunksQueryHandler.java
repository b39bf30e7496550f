package io.dynamicrag.processing.search;

import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
import io.dynamicrag.kernel.search.api.query.SearchHit;
import io.dynamicrag.kernel.search.api.query.SearchResults;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.index.TenantChunkIndex;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Vector search in the caller's own Lance dataset; the tenant comes from the authenticated query, never from input. */
@Component
class SimilarChunksQueryHandler {

    private final Embedder embedder;
    private final TenantChunkIndex index;

    SimilarChunksQueryHandler(Embedder embedder, TenantChunkIndex index) {
        this.embedder = embedder;
        this.index = index;
    }

    @QueryHandler
    SearchResults handle(FindSimilarChunksQuery query) {
        float[] vector = embedder.embed(query.query());
        return new SearchResults(index.nearest(query.tenantId(), vector, query.topK()).stream()
                .map(hit -> new SearchHit(hit.documentId(), hit.title(), hit.chunkIndex(), hit.text(), hit.score(),
                        hit.version()))
                .toList());
    }
}
