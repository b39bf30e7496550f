package io.dynamicrag.processing.index;

/** A chunk found by a search, with its similarity score (higher is better). */
public record ChunkHit(String documentId, int version, int chunkIndex, String title, String text, double score) {
}
