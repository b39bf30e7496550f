package io.dynamicrag.kernel.webhooks.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The webhook's settings after the change (all of them, not only what changed). */
@Revision("1")
public record WebhookUpdatedEvent(
        WebhookId webhookId,
        TenantId tenantId,
        String name,
        String triggerType,
        WebhookConfig config,
        boolean active,
        Instant updatedAt) {
}
