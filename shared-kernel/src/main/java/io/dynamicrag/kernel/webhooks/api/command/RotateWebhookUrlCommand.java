package io.dynamicrag.kernel.webhooks.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the webhook's URL token (the old URL stops working at once); carries only the new token's hash. */
public record RotateWebhookUrlCommand(@TargetAggregateIdentifier WebhookId webhookId, TenantId tenantId,
                                      String tokenHash, String urlTokenPrefix) {

    @Override
    public String toString() {
        return "RotateWebhookUrlCommand[webhookId=" + webhookId + ", tenantId=" + tenantId + "]";
    }
}
