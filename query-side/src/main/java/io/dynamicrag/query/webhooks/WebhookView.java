package io.dynamicrag.query.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;

/** A webhook as {@code GET /api/webhooks[/{id}]} shows it: the URL masked, never the signing secret. */
record WebhookView(
        String id,
        String name,
        @JsonProperty("webhook_url") String webhookUrl,
        @JsonProperty("trigger_type") String triggerType,
        RawJson config,
        @JsonProperty("is_active") boolean isActive,
        @JsonProperty("last_triggered_at") OffsetDateTime lastTriggeredAt,
        @JsonProperty("created_at") OffsetDateTime createdAt) {
}
