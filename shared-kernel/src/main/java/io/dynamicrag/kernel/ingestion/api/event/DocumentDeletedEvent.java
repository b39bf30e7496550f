package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The document is gone: every version's chunks, files and read-model rows are removed. */
@Revision("1")
public record DocumentDeletedEvent(DocumentId documentId, TenantId tenantId, int lastVersion, Instant deletedAt) {
}
