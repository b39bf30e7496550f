package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The pipeline runs again for an existing version, from its stored raw file. */
@Revision("1")
public record DocumentReprocessingStartedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        String title,
        String docType,
        String rawBlobKey,
        Instant startedAt) {
}
