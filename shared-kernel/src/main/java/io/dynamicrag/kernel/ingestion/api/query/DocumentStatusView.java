package io.dynamicrag.kernel.ingestion.api.query;

public record DocumentStatusView(
        String documentId,
        String status,
        int version,
        int chunkCount,
        int characterCount,
        String errorMessage) {
}
