package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Changes the email and/or company name; a null field keeps its current value. */
public record UpdateTenantProfileCommand(@TargetAggregateIdentifier TenantId tenantId, String email,
                                         String companyName) {
}
