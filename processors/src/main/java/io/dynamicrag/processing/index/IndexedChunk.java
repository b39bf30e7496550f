package io.dynamicrag.processing.index;

/** One chunk row as stored in a tenant's Lance dataset. */
public record IndexedChunk(int chunkIndex, String title, String text, float[] vector) {
}
