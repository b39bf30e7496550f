package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Makes the account an operator (admin) of the whole service. */
public record GrantAdminRoleCommand(@TargetAggregateIdentifier TenantId tenantId, String actor) {
}
