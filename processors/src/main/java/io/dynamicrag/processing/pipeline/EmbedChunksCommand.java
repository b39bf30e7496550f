package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** Step 3: embed every chunk. */
public record EmbedChunksCommand(TenantId tenantId, DocumentId documentId, int version, String chunksBlobKey)
        implements PipelineStep {
}
