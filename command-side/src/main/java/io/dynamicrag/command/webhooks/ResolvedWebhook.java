package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;

/**
 * The webhook an inbound URL token resolved to, handed from {@link InboundWebhookFilter} to
 * {@link InboundWebhookController} as an exchange attribute (which a client cannot set).
 */
record ResolvedWebhook(WebhookId webhookId, TenantId tenantId, WebhookConfig config, boolean tenantActive) {

    static final String ATTRIBUTE = ResolvedWebhook.class.getName();
}
