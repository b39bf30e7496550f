package io.dynamicrag.command.webhooks;

import io.dynamicrag.command.tenancy.ApiKeys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The two secrets of a webhook. The URL token ({@code whk_} + 32 random bytes, base64url) is the credential of the
 * inbound URL: stored as SHA-256 only and looked up by that hash, like API keys (256 bits of entropy make a fast
 * hash safe). The signing secret ({@code whsec_} + 32 random bytes) is the HMAC key of the completion callbacks:
 * the service needs it back, so it is stored encrypted (AES-256-GCM, {@code SecretCipher}, bound to the tenant).
 * Both are shown once: the token inside the webhook_url on create and rotate, the signing secret on create.
 */
final class WebhookSecrets {

    static final String TOKEN_PREFIX = "whk_";
    static final String SIGNING_SECRET_PREFIX = "whsec_";
    /** How much of the token a masked URL shows: the prefix and four random characters (24 of 256 bits). */
    static final int SHOWN_TOKEN_CHARS = TOKEN_PREFIX.length() + 4;
    private static final Pattern TOKEN = Pattern.compile("whk_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    static NewToken newToken() {
        String token = TOKEN_PREFIX + random32();
        return new NewToken(token, hash(token), token.substring(0, SHOWN_TOKEN_CHARS));
    }

    static String newSigningSecret() {
        return SIGNING_SECRET_PREFIX + random32();
    }

    static String hash(String token) {
        return ApiKeys.hash(token);
    }

    /** Cheap syntax check before any database lookup. */
    static boolean looksLikeToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    private static String random32() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The plaintext goes into the URL shown once; only the hash is stored. */
    record NewToken(String plaintext, String hash, String shownPrefix) {

        @Override
        public String toString() {
            return "NewToken[" + shownPrefix + "…]";
        }
    }
}
