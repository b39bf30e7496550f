package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

import java.util.List;

/**
 * The chunk index of each tenant: one Lance dataset per tenant at {@code <data-dir>/customers/<tenant-id>/chunks.lance}.
 * Implementations are thread-safe; writes to one tenant's dataset are serialised.
 */
public interface TenantChunkIndex {

    /**
     * Replaces the chunks of one (document, version) with the given ones. Idempotent: indexing the same version twice
     * leaves exactly one copy of every chunk, so a retried or replayed index step never duplicates.
     */
    void replaceVersion(TenantId tenant, DocumentId document, int version, List<IndexedChunk> chunks);

    /** Removes the chunks of every version of the document except {@code keepVersion}. */
    void deleteOtherVersions(TenantId tenant, DocumentId document, int keepVersion);

    /** Removes every chunk of every version of the document. */
    void deleteDocument(TenantId tenant, DocumentId document);

    /** The k nearest chunks by cosine similarity, only from this tenant's dataset; empty when it has none yet. */
    List<ChunkHit> nearest(TenantId tenant, float[] queryVector, int k);

    /** Number of chunks stored for the document (all versions). */
    long countChunks(TenantId tenant, DocumentId document);
}
