package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real in-memory implementation of the port (not a mock): one row per webhook, token hashes unique. */
final class InMemoryWebhookEndpoints implements WebhookEndpointStore {

    record Row(TenantId tenant, String tokenHash, String signingSecretCiphertext, WebhookConfig config,
               boolean active) {
    }

    final Map<WebhookId, Row> rows = new HashMap<>();

    @Override
    public void create(WebhookId webhook, TenantId tenant, String tokenHash, String signingSecretCiphertext,
                       WebhookConfig config, boolean active) {
        if (rows.values().stream().anyMatch(r -> r.tokenHash().equals(tokenHash))) {
            throw new IllegalStateException("duplicate token hash");
        }
        rows.put(webhook, new Row(tenant, tokenHash, signingSecretCiphertext, config, active));
    }

    @Override
    public void update(WebhookId webhook, WebhookConfig config, boolean active) {
        Row r = rows.get(webhook);
        rows.put(webhook, new Row(r.tenant(), r.tokenHash(), r.signingSecretCiphertext(), config, active));
    }

    @Override
    public void replaceToken(WebhookId webhook, String tokenHash) {
        Row r = rows.get(webhook);
        rows.put(webhook, new Row(r.tenant(), tokenHash, r.signingSecretCiphertext(), r.config(), r.active()));
    }

    @Override
    public void delete(WebhookId webhook) {
        rows.remove(webhook);
    }

    @Override
    public Optional<Endpoint> findByTokenHash(String tokenHash) {
        return rows.entrySet().stream().filter(e -> e.getValue().tokenHash().equals(tokenHash)).findFirst()
                .map(e -> endpoint(e.getKey(), e.getValue()));
    }

    @Override
    public Optional<Endpoint> find(TenantId tenant, WebhookId webhook) {
        return Optional.ofNullable(rows.get(webhook)).filter(r -> r.tenant().equals(tenant))
                .map(r -> endpoint(webhook, r));
    }

    private static Endpoint endpoint(WebhookId id, Row r) {
        return new Endpoint(id, r.tenant(), r.config(), r.active(), true, r.signingSecretCiphertext());
    }
}
