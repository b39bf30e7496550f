package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;

import java.util.List;

/**
 * The chunk index of each tenant: one Lance dataset per tenant and {@link IndexSpace index generation}, at
 * {@code <generation directory>/chunks.lance}. Every call names the generation, so a caller that embedded with one
 * model always reads or writes the dataset of that model. Implementations are thread-safe; writes to one tenant's
 * datasets are serialised.
 */
public interface TenantChunkIndex {

    /**
     * Replaces the chunks of one (document, version) with the given ones. Idempotent: indexing the same version twice
     * leaves exactly one copy of every chunk, so a retried or replayed index step never duplicates.
     */
    void replaceVersion(IndexSpace space, DocumentId document, int version, List<IndexedChunk> chunks);

    /** Removes the chunks of every version of the document except {@code keepVersion}. */
    void deleteOtherVersions(IndexSpace space, DocumentId document, int keepVersion);

    /** Removes every chunk of every version of the document. */
    void deleteDocument(IndexSpace space, DocumentId document);

    /** The k nearest chunks by cosine similarity, only from this generation of the tenant's index; empty when it has none yet. */
    List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k);

    /** Number of chunks stored for the document (all versions). */
    long countChunks(IndexSpace space, DocumentId document);
}
