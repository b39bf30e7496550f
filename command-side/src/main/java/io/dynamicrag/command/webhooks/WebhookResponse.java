package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;

import java.time.Instant;

/**
 * A webhook as the write endpoints answer it. {@code webhook_url} is in full only on create and rotate (the one
 * time the token is shown), masked otherwise; {@code signing_secret} only on create.
 */
record WebhookResponse(
        String id,
        String name,
        @JsonProperty("webhook_url") String webhookUrl,
        @JsonProperty("signing_secret") @JsonInclude(JsonInclude.Include.NON_NULL) String signingSecret,
        @JsonProperty("trigger_type") String triggerType,
        WebhookConfig config,
        @JsonProperty("is_active") boolean isActive,
        @JsonProperty("last_triggered_at") Instant lastTriggeredAt,
        @JsonProperty("created_at") Instant createdAt) {

    static WebhookResponse of(WebhookDetails details, String url, String signingSecret) {
        return new WebhookResponse(details.webhookId().toString(), details.name(), url, signingSecret,
                details.triggerType(), details.config(), details.active(), details.lastTriggeredAt(),
                details.createdAt());
    }
}
