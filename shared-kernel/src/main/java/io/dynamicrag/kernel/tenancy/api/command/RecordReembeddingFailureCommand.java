package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Re-embedding the tenant's chunks with {@code embeddingModel} gave up; search stays on the previous model. */
public record RecordReembeddingFailureCommand(@TargetAggregateIdentifier TenantId tenantId, String embeddingModel,
                                              String reason) {
}
