package io.dynamicrag.query.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.event.WebhookCreatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookDeletedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookTriggeredEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUpdatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUrlRotatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Builds {@code webhooks} from webhook events. Subscribing (see {@link WebhookProjectionConfiguration}): it runs in
 * the command's transaction, so a webhook created, changed or triggered is readable the moment the request that
 * did it returns. {@code webhook_url} holds the masked path only ({@code /api/webhooks/in/whk_abcd…}): the token
 * is in no event, and the public base URL is added when it is read.
 */
@Component
@ProcessingGroup(WebhookProjection.PROCESSING_GROUP)
class WebhookProjection {

    static final String PROCESSING_GROUP = "webhook-projection";
    static final String INBOUND_PATH = "/api/webhooks/in/";

    private static final ObjectMapper CONFIG_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final JdbcTemplate jdbc;

    WebhookProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(WebhookCreatedEvent event) {
        Timestamp at = Timestamp.from(event.createdAt());
        jdbc.update("""
                INSERT INTO webhooks (id, customer_id, name, webhook_url, trigger_type, config, is_active, created_at,
                                      updated_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING""",
                event.webhookId().value(), event.tenantId().value(), event.name(),
                maskedPath(event.urlTokenPrefix()), event.triggerType(), json(event.config()), event.active(), at, at);
    }

    @EventHandler
    void on(WebhookUpdatedEvent event) {
        jdbc.update("""
                UPDATE webhooks SET name = ?, trigger_type = ?, config = ?::jsonb, is_active = ?, updated_at = ?
                WHERE id = ?""",
                event.name(), event.triggerType(), json(event.config()), event.active(),
                Timestamp.from(event.updatedAt()), event.webhookId().value());
    }

    @EventHandler
    void on(WebhookUrlRotatedEvent event) {
        jdbc.update("UPDATE webhooks SET webhook_url = ?, updated_at = ? WHERE id = ?",
                maskedPath(event.urlTokenPrefix()), Timestamp.from(event.rotatedAt()), event.webhookId().value());
    }

    @EventHandler
    void on(WebhookTriggeredEvent event) {
        Timestamp at = Timestamp.from(event.triggeredAt());
        jdbc.update("""
                UPDATE webhooks SET last_triggered_at = GREATEST(COALESCE(last_triggered_at, ?), ?)
                WHERE id = ?""", at, at, event.webhookId().value());
    }

    @EventHandler
    void on(WebhookDeletedEvent event) {
        jdbc.update("DELETE FROM webhooks WHERE id = ?", event.webhookId().value());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE webhooks");
    }

    static String maskedPath(String tokenPrefix) {
        return INBOUND_PATH + (tokenPrefix == null ? "" : tokenPrefix) + "…";
    }

    private static String json(WebhookConfig config) {
        try {
            return CONFIG_JSON.writeValueAsString(config == null ? WebhookConfig.defaults() : config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook config cannot be written as JSON", e);
        }
    }
}
