package io.dynamicrag.kernel.webhooks.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record WebhookDeletedEvent(
        WebhookId webhookId,
        TenantId tenantId,
        Instant deletedAt) {
}
