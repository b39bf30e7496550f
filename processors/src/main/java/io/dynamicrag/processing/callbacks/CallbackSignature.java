package io.dynamicrag.processing.callbacks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * {@code X-RAG-Signature: sha256=<hex>}: HMAC-SHA256 of the raw request body, keyed with the webhook's signing
 * secret (the whole {@code whsec_...} string as UTF-8). A receiver recomputes it over the bytes it received and
 * compares in constant time.
 */
final class CallbackSignature {

    static final String HEADER = "X-RAG-Signature";
    static final String TIMESTAMP_HEADER = "X-RAG-Timestamp";
    static final String DELIVERY_HEADER = "X-RAG-Delivery";
    static final String WEBHOOK_HEADER = "X-RAG-Webhook-Id";

    private CallbackSignature() {
    }

    static String of(String signingSecret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
