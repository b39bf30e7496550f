package io.dynamicrag.command.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: {@code drag_} + 32 random bytes (base64url). Stored as SHA-256: a key has 256 bits of entropy, so a fast
 * hash is safe against brute force and lets authentication look the key up by its hash.
 */
public final class ApiKeys {

    public static final String PREFIX = "drag_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static NewApiKey generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new NewApiKey(key, hash(key), key.substring(0, PREFIX.length() + 6));
    }

    public static boolean looksLikeApiKey(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public static String hash(String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The plaintext is shown to the user once and then forgotten. */
    public record NewApiKey(String plaintext, String hash, String displayPrefix) {
    }
}
