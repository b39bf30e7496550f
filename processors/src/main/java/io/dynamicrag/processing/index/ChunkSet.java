package io.dynamicrag.processing.index;

/** Which of a tenant's chunk datasets a search reads. */
public enum ChunkSet {
    /** {@code chunks.lance}: the chunks search serves (active versions, plus a version about to become active). */
    LATEST,
    /** {@code versions.lance}: the chunks of every indexed version of every document still stored (history). */
    ALL_VERSIONS
}
