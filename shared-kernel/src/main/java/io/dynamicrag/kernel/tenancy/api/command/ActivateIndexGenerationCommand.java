package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Switches the tenant's search to a fully built index generation: from now on documents are embedded with
 * {@code embeddingModel} and searched in that generation. Sent by the re-embedding process once every active chunk has
 * been embedded again with the new model.
 */
public record ActivateIndexGenerationCommand(@TargetAggregateIdentifier TenantId tenantId, long generation,
                                             String embeddingModel, int dimensions, int documents, long chunks) {
}
