package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** The {@code webhook_endpoints} table; joins the command's JDBC transaction, so it commits with the events. */
@Component
class JdbcWebhookEndpointStore implements WebhookEndpointStore {

    /** The config column holds the same snake_case JSON the API shows. */
    static final ObjectMapper CONFIG_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String COLUMNS = """
            e.webhook_id, e.tenant_id, e.config::text AS config, e.active, e.signing_secret_ciphertext,
            COALESCE(t.status, 'active') AS tenant_status""";
    private static final String FROM = " FROM webhook_endpoints e LEFT JOIN tenant_credentials t"
            + " ON t.tenant_id = e.tenant_id ";

    private final JdbcTemplate jdbc;
    private final RowMapper<Endpoint> endpoint = (rs, i) -> new Endpoint(
            new WebhookId(rs.getObject("webhook_id", UUID.class)),
            new TenantId(rs.getObject("tenant_id", UUID.class)),
            readConfig(rs.getString("config")),
            rs.getBoolean("active"),
            "active".equals(rs.getString("tenant_status")),
            rs.getString("signing_secret_ciphertext"));

    JdbcWebhookEndpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(WebhookId webhook, TenantId tenant, String tokenHash, String signingSecretCiphertext,
                       WebhookConfig config, boolean active) {
        jdbc.update("""
                INSERT INTO webhook_endpoints (webhook_id, tenant_id, token_hash, signing_secret_ciphertext, config,
                                               active)
                VALUES (?, ?, ?, ?, ?::jsonb, ?)""",
                webhook.value(), tenant.value(), tokenHash, signingSecretCiphertext, writeConfig(config), active);
    }

    @Override
    public void update(WebhookId webhook, WebhookConfig config, boolean active) {
        jdbc.update("UPDATE webhook_endpoints SET config = ?::jsonb, active = ?, updated_at = now() WHERE webhook_id = ?",
                writeConfig(config), active, webhook.value());
    }

    @Override
    public void replaceToken(WebhookId webhook, String tokenHash) {
        jdbc.update("UPDATE webhook_endpoints SET token_hash = ?, updated_at = now() WHERE webhook_id = ?",
                tokenHash, webhook.value());
    }

    @Override
    public void delete(WebhookId webhook) {
        jdbc.update("DELETE FROM webhook_endpoints WHERE webhook_id = ?", webhook.value());
    }

    @Override
    public Optional<Endpoint> findByTokenHash(String tokenHash) {
        return jdbc.query("SELECT " + COLUMNS + FROM + "WHERE e.token_hash = ?", endpoint, tokenHash)
                .stream().findFirst();
    }

    @Override
    public Optional<Endpoint> find(TenantId tenant, WebhookId webhook) {
        return jdbc.query("SELECT " + COLUMNS + FROM + "WHERE e.webhook_id = ? AND e.tenant_id = ?", endpoint,
                webhook.value(), tenant.value()).stream().findFirst();
    }

    static String writeConfig(WebhookConfig config) {
        try {
            return CONFIG_JSON.writeValueAsString(config == null ? WebhookConfig.defaults() : config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook config cannot be written as JSON", e);
        }
    }

    static WebhookConfig readConfig(String json) {
        try {
            return json == null ? WebhookConfig.defaults() : CONFIG_JSON.readValue(json, WebhookConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored webhook config cannot be read", e);
        }
    }
}
