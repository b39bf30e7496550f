package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sets (ciphertext non-null) or removes (null) the tenant's own OpenAI key. The key arrives already encrypted
 * (AES-256-GCM) and only its masked form ({@code sk-…abcd}) may reach an event.
 */
public record ConfigureOpenAiKeyCommand(@TargetAggregateIdentifier TenantId tenantId, String ciphertext,
                                        String maskedKey) {
}
