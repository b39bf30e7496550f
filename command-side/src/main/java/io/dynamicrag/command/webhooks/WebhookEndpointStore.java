package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;

import java.util.Optional;

/**
 * What the inbound URL and the completion callbacks need at run time, kept out of the event store on purpose: the
 * URL token's SHA-256 (the URL is the credential), the signing secret's ciphertext, the config and the active
 * flag. Written by the {@link Webhook} command handlers in the command's transaction, so a rotation, deactivation
 * or deletion takes effect the moment its request returns.
 */
interface WebhookEndpointStore {

    void create(WebhookId webhook, TenantId tenant, String tokenHash, String signingSecretCiphertext,
                WebhookConfig config, boolean active);

    void update(WebhookId webhook, WebhookConfig config, boolean active);

    void replaceToken(WebhookId webhook, String tokenHash);

    void delete(WebhookId webhook);

    /** The webhook whose URL token has this hash (active or not), with its tenant's account state. */
    Optional<Endpoint> findByTokenHash(String tokenHash);

    /** The tenant's webhook; empty when it is another tenant's or deleted. */
    Optional<Endpoint> find(TenantId tenant, WebhookId webhook);

    /** {@code tenantActive}: the owning account is not suspended. */
    record Endpoint(WebhookId webhookId, TenantId tenantId, WebhookConfig config, boolean active,
                    boolean tenantActive, String signingSecretCiphertext) {

        @Override
        public String toString() {
            return "Endpoint[webhookId=" + webhookId + ", tenantId=" + tenantId + ", active=" + active + "]";
        }
    }
}
