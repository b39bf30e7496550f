package io.dynamicrag.processing.index;

/** A catalog row found by a search, with its score (cosine similarity or BM25, higher is better). */
public record CatalogHit(String documentId, int version, String title, String docType, String sourceUrl,
                         String summary, double score) {
}
