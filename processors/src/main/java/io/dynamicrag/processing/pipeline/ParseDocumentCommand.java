package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** Step 1: extract text from the raw upload. */
public record ParseDocumentCommand(TenantId tenantId, DocumentId documentId, int version, String rawBlobKey,
                                   String docType) implements PipelineStep {
}
