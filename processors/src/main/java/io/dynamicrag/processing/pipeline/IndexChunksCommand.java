package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/**
 * Step 4: write the chunks and their vectors into the tenant's Lance dataset. {@code embeddingModel} is the model
 * the vectors came from: if the tenant's search has meanwhile switched to another model, the step embeds the chunks
 * again with that one rather than mixing models.
 */
public record IndexChunksCommand(TenantId tenantId, DocumentId documentId, int version, String title,
                                 String chunksBlobKey, String embeddingsBlobKey, String embeddingModel)
        implements PipelineStep {
}
