package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/** Submits the content of a new document; the raw bytes are already in blob storage under {@code rawBlobKey}. */
public record SubmitDocumentCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        TenantId tenantId,
        String title,
        String docType,
        String sourceUrl,
        String externalId,
        Map<String, String> metadata,
        String rawBlobKey,
        String contentHash,
        long sizeBytes) {
}
