package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Registers a new tenant. Carries credential hashes (never raw secrets) so the command handler can store them in the
 * credential table in the same transaction as the event; the hashes never reach the event.
 */
public record RegisterTenantCommand(
        @TargetAggregateIdentifier TenantId tenantId,
        String email,
        String companyName,
        String passwordHash,
        String apiKeyHash,
        String apiKeyPrefix) {
}
