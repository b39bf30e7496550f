package io.dynamicrag.query.documents;

import java.time.OffsetDateTime;

/** One version of a document; {@code is_active} marks the one search serves. */
public record VersionView(int version, String contentHash, boolean isActive, String status, Long fileSizeBytes,
                   String errorMessage, OffsetDateTime createdAt) {
}
