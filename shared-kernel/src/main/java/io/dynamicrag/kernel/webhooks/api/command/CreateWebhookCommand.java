package io.dynamicrag.kernel.webhooks.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Creates a webhook. Carries only the URL token's SHA-256 and the signing secret's ciphertext, which the handler
 * writes to the command side's endpoint table; neither reaches the event. {@code urlTokenPrefix} is the token's
 * first characters, shown in masked URLs.
 */
public record CreateWebhookCommand(@TargetAggregateIdentifier WebhookId webhookId, TenantId tenantId, String name,
                                   String triggerType, WebhookConfig config, boolean active, String tokenHash,
                                   String urlTokenPrefix, String signingSecretCiphertext, Instant createdAt) {

    @Override
    public String toString() {
        return "CreateWebhookCommand[webhookId=" + webhookId + ", tenantId=" + tenantId + ", name=" + name + "]";
    }
}
