package io.dynamicrag.processing.search;

import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
import io.dynamicrag.kernel.search.api.query.SearchHit;
import io.dynamicrag.kernel.search.api.query.SearchResults;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.ChunkHit;
import io.dynamicrag.processing.index.ChunkSet;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantChunkIndex;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Chunk search in the caller's own Lance datasets (the tenant comes from the authenticated query, never from input):
 * vector (cosine kNN), keyword (BM25 over Lance's inverted index) or hybrid (both, fused by reciprocal rank). Filters
 * become a Lance prefilter, so they apply before top-k; a hit is returned only at its document's visible version
 * (the active one, or version n for {@code as_of_version}), so superseded or deleted chunks never show.
 */
@Component
class ChunkSearchHandler {

    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final TenantChunkIndex index;
    private final SearchScopes scopes;
    private final ReciprocalRankFusion fusion = new ReciprocalRankFusion();

    ChunkSearchHandler(TenantEmbedders embedders, TenantIndexSpaces spaces, TenantChunkIndex index,
                       SearchScopes scopes) {
        this.embedders = embedders;
        this.spaces = spaces;
        this.index = index;
        this.scopes = scopes;
    }

    @QueryHandler
    SearchResults handle(FindSimilarChunksQuery query) {
        SearchScopes.Scope scope = scopes.scope(query.tenantId(), query.filters(), query.asOfVersion());
        if (scope.matchesNothing() || query.topK() <= 0) {
            return new SearchResults(List.of());
        }
        // one generation for the whole query: the query vector and the datasets come from the same model
        IndexSpace space = spaces.serving(query.tenantId());
        ChunkSet set = query.asOfVersion() == null ? ChunkSet.LATEST : ChunkSet.ALL_VERSIONS;
        int k = query.topK();
        return new SearchResults(switch (query.mode()) {
            case VECTOR -> vector(space, query, scope, set, k).stream()
                    .map(v -> hit(v, v.candidate().score())).toList();
            case KEYWORD -> keyword(space, query, scope, set, k).stream()
                    .map(v -> hit(v, v.candidate().score())).toList();
            case HYBRID -> {
                int depth = SearchDepth.hybrid(k);
                yield fusion.fuse(ChunkSearchHandler::identity,
                                vector(space, query, scope, set, depth), keyword(space, query, scope, set, depth))
                        .stream().limit(k).map(f -> hit(f.item(), f.score())).toList();
            }
        });
    }

    private List<CandidateCollector.Visible<ChunkHit>> vector(IndexSpace space, FindSimilarChunksQuery query,
                                                             SearchScopes.Scope scope, ChunkSet set, int wanted) {
        float[] vector = embedders.forModel(query.tenantId(), space.embeddingModel()).embed(query.query());
        return CandidateCollector.collect(wanted,
                n -> index.nearest(space, vector, n, scope.prefilter(), set),
                ChunkSearchHandler::documentOf, ChunkHit::version, scope.visibility());
    }

    private List<CandidateCollector.Visible<ChunkHit>> keyword(IndexSpace space, FindSimilarChunksQuery query,
                                                              SearchScopes.Scope scope, ChunkSet set, int wanted) {
        return CandidateCollector.collect(wanted,
                n -> index.matching(space, query.query(), n, scope.prefilter(), set),
                ChunkSearchHandler::documentOf, ChunkHit::version, scope.visibility());
    }

    private static UUID documentOf(ChunkHit hit) {
        return UUID.fromString(hit.documentId());
    }

    private static String identity(CandidateCollector.Visible<ChunkHit> visible) {
        ChunkHit hit = visible.candidate();
        return hit.documentId() + ":" + hit.version() + ":" + hit.chunkIndex();
    }

    private static SearchHit hit(CandidateCollector.Visible<ChunkHit> visible, double score) {
        ChunkHit hit = visible.candidate();
        // the chunk's own title is the title of its version (as_of_version may show an older one)
        String title = hit.title() != null ? hit.title() : visible.document().title();
        return new SearchHit(hit.documentId(), title, hit.chunkIndex(), hit.text(), score, hit.version(),
                visible.document().sourceUrl());
    }
}
