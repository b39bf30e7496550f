package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record DocumentChunkedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        String chunksBlobKey,
        int chunkCount,
        int chunkSize,
        int chunkOverlap) {
}
