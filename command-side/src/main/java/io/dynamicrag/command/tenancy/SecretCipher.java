package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-256-GCM for tenants' own secrets (their OpenAI keys). The master key comes from configuration and never
 * reaches the database. The tenant id is bound as associated data, so a ciphertext copied to another tenant's row
 * does not decrypt. Format: {@code v1:} + base64(12-byte nonce || ciphertext || tag).
 */
@Component
public class SecretCipher {

    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretCipher(@Value("${rag.secrets.master-key}") String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rag.secrets.master-key must be base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("rag.secrets.master-key must be 32 bytes (base64) for AES-256");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public String encrypt(TenantId tenant, String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenant.toString().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String decrypt(TenantId tenant, String stored) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new IllegalArgumentException("not a v1 ciphertext");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(tenant.toString().getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the secret cannot be decrypted with this master key", e);
        }
    }

    /** What may be shown: the first three and last four characters. */
    public static String mask(String secret) {
        if (secret.length() <= 8) {
            return "…";
        }
        return secret.substring(0, 3) + "…" + secret.substring(secret.length() - 4);
    }
}
