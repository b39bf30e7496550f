package io.dynamicrag.kernel.webhooks.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An inbound delivery to the webhook's URL was accepted: {@code documentCount} documents were submitted. */
public record RecordWebhookTriggeredCommand(@TargetAggregateIdentifier WebhookId webhookId, TenantId tenantId,
                                            int documentCount) {
}
