package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;

import java.time.Instant;

/** A webhook's state after a command, returned to the controller so it can answer without a read-model trip. */
record WebhookDetails(WebhookId webhookId, String name, String triggerType, WebhookConfig config, boolean active,
                      String urlTokenPrefix, Instant lastTriggeredAt, Instant createdAt) {
}
