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
    default void replaceVersion(IndexSpace space, DocumentId document, int version, List<IndexedChunk> chunks) {
        replaceVersions(space, List.of(new VersionChunks(document, version, chunks)));
    }

    /**
     * {@link #replaceVersion} for many versions of one tenant at once: one commit per dataset instead of one per
     * version, which is what lets the index keep up with the embedder. Each version must appear once.
     */
    void replaceVersions(IndexSpace space, List<VersionChunks> versions);

    /**
     * Removes the chunks of every version of the document except {@code keepVersion} from the latest dataset; the
     * history ({@link ChunkSet#ALL_VERSIONS}) keeps them.
     */
    void deleteOtherVersions(IndexSpace space, DocumentId document, int keepVersion);

    /** Removes every chunk of every version of the document, history included. */
    void deleteDocument(IndexSpace space, DocumentId document);

    /** The k nearest chunks by cosine similarity, only from this generation of the tenant's index; empty when it has none yet. */
    List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k);

    /**
     * The k nearest chunks by cosine similarity among those the filter admits (applied before top-k, so k rows come
     * back whenever k pass), from the latest dataset or the history.
     */
    List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k, ChunkFilter filter, ChunkSet set);

    /**
     * The k best chunks by BM25 for the query's terms (any of them) among those the filter admits (applied before
     * top-k); empty when the query has no searchable term. Scores are BM25 scores, higher is better.
     */
    List<ChunkHit> matching(IndexSpace space, String query, int k, ChunkFilter filter, ChunkSet set);

    /** Number of chunks stored for the document (all versions) in the latest dataset. */
    long countChunks(IndexSpace space, DocumentId document);
}
