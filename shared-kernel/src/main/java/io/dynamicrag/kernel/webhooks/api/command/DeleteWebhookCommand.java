package io.dynamicrag.kernel.webhooks.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteWebhookCommand(@TargetAggregateIdentifier WebhookId webhookId, TenantId tenantId) {
}
