package io.dynamicrag.query.documents;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** One row of the {@code documents} read model, as the API shows it (fields become snake_case in JSON). */
public record DocumentDetails(
        String id,
        String title,
        String docType,
        String sourceUrl,
        String externalId,
        MetadataJson metadata,
        String contentHash,
        Long fileSizeBytes,
        Integer pageCount,
        int chunkCount,
        int characterCount,
        Long embeddingTokensUsed,
        BigDecimal embeddingCostUsd,
        Long processingTimeMs,
        String status,
        String errorMessage,
        int version,
        Integer activeVersion,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
