package io.dynamicrag.kernel.webhooks.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The webhook got a new URL token; only the new token's short prefix is here. */
@Revision("1")
public record WebhookUrlRotatedEvent(
        WebhookId webhookId,
        TenantId tenantId,
        String urlTokenPrefix,
        Instant rotatedAt) {
}
