package io.dynamicrag.processing.storage;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;

/**
 * Tokens for the file-system store's signed upload URLs ({@code <public-url>/api/uploads/<token>}): the
 * zero-install counterpart of an S3 presigned PUT.
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(secret, payload))}, where the payload is
 * {@code "rag-upload-v1" \n key \n content-type \n expiry-epoch-seconds}. It is URL-safe (no padding) and needs no
 * server-side state; whoever holds it may upload exactly that key with exactly that content type until it expires.
 *
 * <p>The upload endpoint ({@code PUT /api/uploads/{token}}) is expected to:
 * <ol>
 *   <li>call {@link #verify(String)}: it throws {@link InvalidTokenException} for a tampered, malformed or expired
 *       token ({@link InvalidTokenException#expired()} tells which; answer 403 either way, never echo the token);</li>
 *   <li>require the request's {@code Content-Type} to equal {@link Upload#contentType()} (it was signed, as S3 does);</li>
 *   <li>stream the body with {@code BlobStore.put(upload.key(), body, contentLength, upload.contentType())}.</li>
 * </ol>
 * The key inside a token was validated by the store when the URL was issued, and the store validates it again on
 * {@code put}.
 */
public final class SignedUploadTokens {

    /** Secrets shorter than this are refused (HMAC-SHA256 wants a key as long as its output). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String VERSION = "rag-upload-v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Far more than any key plus content type; bounds the work done for a hostile token. */
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final SecretKeySpec secret;
    private final Clock clock;

    public SignedUploadTokens(String secret) {
        this(secret, Clock.systemUTC());
    }

    public SignedUploadTokens(String secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The upload secret (rag.storage.upload-secret / RAG_UPLOAD_SECRET) must be at least "
                    + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = new SecretKeySpec(bytes, ALGORITHM);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token for uploading {@code key} with {@code contentType}, valid for {@code ttl} (whole seconds, rounded down). */
    public Issued issue(String key, String contentType, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("The upload URL's lifetime must be positive");
        }
        Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        return new Issued(issue(key, contentType, expiresAt), expiresAt);
    }

    /** A token for uploading {@code key} with {@code contentType} until {@code expiresAt} (whole seconds). */
    public String issue(String key, String contentType, Instant expiresAt) {
        requireField(key, "key");
        requireField(contentType, "content type");
        Objects.requireNonNull(expiresAt, "expiresAt");
        byte[] payload = String.join("\n", VERSION, key, contentType, Long.toString(expiresAt.getEpochSecond()))
                .getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /**
     * Checks the signature (in constant time) and then the expiry, and returns what the token allows.
     *
     * @throws InvalidTokenException when the token is malformed, signed with another secret, altered, or expired
     */
    public Upload verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("malformed upload token", false);
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
            throw new InvalidTokenException("malformed upload token", false);
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed upload token", false);
        }
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw new InvalidTokenException("upload token signature does not match", false);
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 4 || !VERSION.equals(fields[0])) {
            throw new InvalidTokenException("unsupported upload token", false);
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[3]));
        } catch (RuntimeException e) {
            throw new InvalidTokenException("malformed upload token", false);
        }
        if (!clock.instant().isBefore(expiresAt)) {
            throw new InvalidTokenException("upload URL expired at " + expiresAt, true);
        }
        return new Upload(fields[1], fields[2], expiresAt);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static void requireField(String value, String name) {
        if (value == null || value.isBlank() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("Invalid " + name + " for an upload token");
        }
    }

    /** A freshly issued token and the instant it stops being accepted. */
    public record Issued(String token, Instant expiresAt) {
    }

    /** What a valid token allows: one PUT of {@code key} with {@code contentType} before {@code expiresAt}. */
    public record Upload(String key, String contentType, Instant expiresAt) {
    }

    /** The token is not (or no longer) acceptable. The message never contains the token or the secret. */
    public static final class InvalidTokenException extends RuntimeException {

        private final boolean expired;

        InvalidTokenException(String message, boolean expired) {
            super(message);
            this.expired = expired;
        }

        /** True when the token was genuine but its time is up; false when it is malformed or forged. */
        public boolean expired() {
            return expired;
        }
    }
}
