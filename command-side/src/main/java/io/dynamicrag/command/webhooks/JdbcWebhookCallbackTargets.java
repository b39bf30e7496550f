package io.dynamicrag.command.webhooks;

import io.dynamicrag.command.tenancy.SecretCipher;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.WebhookCallbackTargets;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Answers the processors' callback lookups from the endpoint table, decrypting the signing secret. Blocking. */
@Component
class JdbcWebhookCallbackTargets implements WebhookCallbackTargets {

    private final WebhookEndpointStore endpoints;
    private final SecretCipher cipher;

    JdbcWebhookCallbackTargets(WebhookEndpointStore endpoints, SecretCipher cipher) {
        this.endpoints = endpoints;
        this.cipher = cipher;
    }

    @Override
    public Optional<CallbackTarget> find(TenantId tenant, WebhookId webhook) {
        return endpoints.find(tenant, webhook)
                .filter(endpoint -> endpoint.config().callbackUrl() != null)
                .map(endpoint -> new CallbackTarget(endpoint.config().callbackUrl(),
                        cipher.decrypt(tenant, endpoint.signingSecretCiphertext())));
    }
}
