package io.dynamicrag.kernel.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;

import java.util.Optional;

/**
 * Where, and with which secret, a webhook's completion callbacks go. A port: the command side owns the webhook's
 * stored (encrypted) signing secret and answers; the processors deliver.
 */
public interface WebhookCallbackTargets {

    /** The callback of the tenant's webhook; empty when it is not the tenant's, deleted, or has no callback_url. */
    Optional<CallbackTarget> find(TenantId tenant, WebhookId webhook);

    /** The URL to POST to and the plaintext signing secret (the HMAC key). Never log it. */
    record CallbackTarget(String url, String signingSecret) {

        @Override
        public String toString() {
            return "CallbackTarget[url=" + url + ", signingSecret=…]";
        }
    }
}
