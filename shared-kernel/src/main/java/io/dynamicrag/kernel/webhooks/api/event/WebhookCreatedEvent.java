package io.dynamicrag.kernel.webhooks.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** No secret: the URL token and the signing secret stay in the command side's table; only a short prefix here. */
@Revision("1")
public record WebhookCreatedEvent(
        WebhookId webhookId,
        TenantId tenantId,
        String name,
        String triggerType,
        WebhookConfig config,
        boolean active,
        String urlTokenPrefix,
        Instant createdAt) {
}
