package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;

/**
 * New content for an existing document. The same content as the latest version is a duplicate and changes
 * nothing; different content becomes the next version. Answered with a {@link SubmissionOutcome}.
 */
public record SubmitDocumentVersionCommand(
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
