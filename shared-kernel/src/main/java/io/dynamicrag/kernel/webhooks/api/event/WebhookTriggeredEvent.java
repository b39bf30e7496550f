package io.dynamicrag.kernel.webhooks.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An inbound delivery was accepted and submitted {@code documentCount} documents. */
@Revision("1")
public record WebhookTriggeredEvent(
        WebhookId webhookId,
        TenantId tenantId,
        int documentCount,
        Instant triggeredAt) {
}
