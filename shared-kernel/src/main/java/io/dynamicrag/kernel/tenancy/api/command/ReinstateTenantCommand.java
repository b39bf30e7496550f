package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReinstateTenantCommand(@TargetAggregateIdentifier TenantId tenantId, String actor) {
}
