package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the tenant's API key; carries only the new key's hash, which goes to the credential table. */
public record RotateApiKeyCommand(@TargetAggregateIdentifier TenantId tenantId, String apiKeyHash,
                                  String apiKeyPrefix) {
}
