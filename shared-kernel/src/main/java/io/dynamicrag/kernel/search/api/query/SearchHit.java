package io.dynamicrag.kernel.search.api.query;

public record SearchHit(String documentId, String title, int chunkIndex, String text, double score, int version,
                        String sourceUrl) {
}
