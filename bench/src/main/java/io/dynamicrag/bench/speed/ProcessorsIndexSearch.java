package io.dynamicrag.bench.speed;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.ChunkHit;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;

import java.nio.file.Path;
import java.util.List;

/** {@link SearchUnderTest} on the processors' {@link LanceTenantChunkIndex}, configured as the service configures it. */
final class ProcessorsIndexSearch implements SearchUnderTest {

    private final LanceTenantChunkIndex index;

    ProcessorsIndexSearch(Path dataDir) {
        index = new LanceTenantChunkIndex(dataDir);
    }

    @Override
    public String describe() {
        return "LanceTenantChunkIndex (a dataset opened per operation, shared Lance session)";
    }

    @Override
    public void load(TenantId tenant, DocumentId document, List<IndexedChunk> chunks) {
        index.replaceVersion(IndexSpace.initial(tenant), document, 1, chunks);
    }

    @Override
    public String prepare(TenantId tenant) {
        return "none (this build has no index maintenance: vector search is a flat scan)";
    }

    @Override
    public List<String> search(Mode mode, TenantId tenant, String text, float[] vector, int k) {
        if (mode != Mode.VECTOR) {
            throw new UnsupportedOperationException("this build's index has no " + mode + " search");
        }
        return index.nearest(IndexSpace.initial(tenant), vector, k).stream().map(ProcessorsIndexSearch::key).toList();
    }

    static String key(ChunkHit hit) {
        return hit.documentId() + ":" + hit.chunkIndex();
    }

    @Override
    public void close() {
        index.close();
    }
}
