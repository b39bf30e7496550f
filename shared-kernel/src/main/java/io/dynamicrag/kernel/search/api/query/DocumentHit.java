package io.dynamicrag.kernel.search.api.query;

/** One document of a catalog search, with a short summary of its active version. */
public record DocumentHit(String documentId, String title, int version, String docType, String sourceUrl,
                          String summary, double score) {
}
