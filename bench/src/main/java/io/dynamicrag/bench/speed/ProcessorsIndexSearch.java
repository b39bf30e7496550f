package io.dynamicrag.bench.speed;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.ChunkFilter;
import io.dynamicrag.processing.index.ChunkHit;
import io.dynamicrag.processing.index.ChunkSet;
import io.dynamicrag.processing.index.IndexMaintenance;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.MaintainedDataset;
import io.dynamicrag.processing.index.RetainedVersions;
import io.dynamicrag.processing.search.ReciprocalRankFusion;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link SearchUnderTest} on the processors' {@link LanceTenantChunkIndex} with the service's default settings (the
 * open-dataset LRU of 100 with a 30-minute idle TTL; maintenance builds the ANN index from 20,000 chunks), searched
 * as {@code ChunkSearchHandler} searches: vector = {@code nearest}, keyword = {@code matching} (BM25), hybrid = both
 * at depth max(k, 50) fused by {@link ReciprocalRankFusion} (k 60). No filter, the latest dataset; the read-model
 * visibility check of the HTTP path is left out (every chunk here belongs to an active version).
 */
final class ProcessorsIndexSearch implements SearchUnderTest {

    /** {@code SearchDepth.HYBRID} of the search handler: each list's depth before fusion. */
    private static final int HYBRID_DEPTH = 50;

    private final LanceTenantChunkIndex index;
    private final LanceTenantChunkIndex.Settings settings = LanceTenantChunkIndex.Settings.DEFAULTS;
    private final ReciprocalRankFusion fusion = new ReciprocalRankFusion();

    ProcessorsIndexSearch(Path dataDir) {
        index = new LanceTenantChunkIndex(dataDir, settings, RetainedVersions.LATEST_ONLY);
    }

    @Override
    public String describe() {
        return String.format("LanceTenantChunkIndex with the service defaults: open-dataset LRU of %d (idle TTL %s), "
                        + "ANN index (%s) from %d chunks; hybrid = RRF k %d of vector and BM25 lists %d deep",
                settings.cacheSize(), settings.idleTtl(), settings.maintenance().annIndexType(),
                settings.maintenance().annThreshold(), ReciprocalRankFusion.DEFAULT_K, HYBRID_DEPTH);
    }

    @Override
    public void load(TenantId tenant, DocumentId document, List<IndexedChunk> chunks) {
        index.replaceVersion(IndexSpace.initial(tenant), document, 1, chunks);
    }

    @Override
    public String prepare(TenantId tenant) {
        IndexSpace space = IndexSpace.initial(tenant);
        IndexMaintenance.Outcome outcome = index.maintain(new MaintainedDataset(tenant, 0, index.datasetPath(space)));
        return outcome == null ? "no dataset" : outcome.toString();
    }

    @Override
    public List<String> search(Mode mode, TenantId tenant, String text, float[] vector, int k) {
        IndexSpace space = IndexSpace.initial(tenant);
        return switch (mode) {
            case VECTOR -> keys(index.nearest(space, vector, k, ChunkFilter.none(), ChunkSet.LATEST));
            case KEYWORD -> keys(index.matching(space, text, k, ChunkFilter.none(), ChunkSet.LATEST));
            case HYBRID -> {
                int depth = Math.max(k, HYBRID_DEPTH);
                yield fusion.fuse(ProcessorsIndexSearch::key,
                                index.nearest(space, vector, depth, ChunkFilter.none(), ChunkSet.LATEST),
                                index.matching(space, text, depth, ChunkFilter.none(), ChunkSet.LATEST))
                        .stream().limit(k).map(f -> key(f.item())).toList();
            }
        };
    }

    private static List<String> keys(List<ChunkHit> hits) {
        return hits.stream().map(ProcessorsIndexSearch::key).toList();
    }

    static String key(ChunkHit hit) {
        return hit.documentId() + ":" + hit.chunkIndex();
    }

    @Override
    public void close() {
        index.close();
    }
}
