package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record DocumentProcessingFailedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        String stage,
        String reason,
        Instant failedAt) {
}
