package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

@Revision("1")
public record DocumentSubmittedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        String title,
        String docType,
        String sourceUrl,
        String externalId,
        Map<String, String> metadata,
        String rawBlobKey,
        String contentHash,
        long sizeBytes,
        Instant submittedAt) {
}
