package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The version is searchable: processing completed. */
@Revision("1")
public record DocumentIndexedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        int chunkCount,
        Instant indexedAt) {
}
