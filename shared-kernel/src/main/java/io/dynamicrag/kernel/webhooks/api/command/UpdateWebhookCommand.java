package io.dynamicrag.kernel.webhooks.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Changes a webhook; a null field keeps its current value, a given config replaces the whole config. */
public record UpdateWebhookCommand(@TargetAggregateIdentifier WebhookId webhookId, TenantId tenantId, String name,
                                   String triggerType, WebhookConfig config, Boolean active) {
}
