package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** Step 4: write the chunks and their vectors into the tenant's Lance dataset. */
public record IndexChunksCommand(TenantId tenantId, DocumentId documentId, int version, String title,
                                 String chunksBlobKey, String embeddingsBlobKey) implements PipelineStep {
}
