package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** Step 2: split the parsed text with the tenant's chunking configuration. */
public record ChunkDocumentCommand(TenantId tenantId, DocumentId documentId, int version, String parsedBlobKey)
        implements PipelineStep {
}
