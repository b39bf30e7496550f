package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** Parse, chunk and embed one version of a document, from its raw upload, on one worker. */
public record ProcessDocumentCommand(TenantId tenantId, DocumentId documentId, int version, String rawBlobKey,
                                     String docType) implements PipelineStep {
}
