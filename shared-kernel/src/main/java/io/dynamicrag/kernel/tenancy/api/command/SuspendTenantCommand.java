package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops all access by the tenant's credentials at once; its data is kept. */
public record SuspendTenantCommand(@TargetAggregateIdentifier TenantId tenantId, String reason, String actor) {
}
