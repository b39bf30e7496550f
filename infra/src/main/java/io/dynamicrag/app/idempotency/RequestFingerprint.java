package io.dynamicrag.app.idempotency;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 fingerprint that tells a retry of a request from a different request sent with the same
 * {@code Idempotency-Key}.
 *
 * <ul>
 *   <li>{@link #ofBody}: method, path with query, media type (without parameters) and the body bytes. A multipart
 *       body is hashed with its boundary string removed: clients (n8n's form-data among them) draw a fresh random
 *       boundary for every attempt, so the raw bytes of a retried upload differ although its parts are identical.
 *   <li>{@link #ofMetadata}: for bodies too large to buffer (or of unknown length), method, path with query, media
 *       type and declared length only. Such a retry is still recognised; a different body of the same length under
 *       the same key is not detected.
 * </ul>
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static String ofBody(HttpMethod method, String pathAndQuery, MediaType contentType, byte[] body) {
        MessageDigest digest = head(method, pathAndQuery, contentType, "body");
        digest.update(canonicalBody(contentType, body));
        return HexFormat.of().formatHex(digest.digest());
    }

    static String ofMetadata(HttpMethod method, String pathAndQuery, MediaType contentType, long contentLength) {
        MessageDigest digest = head(method, pathAndQuery, contentType, "length");
        digest.update(Long.toString(contentLength).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest head(HttpMethod method, String pathAndQuery, MediaType contentType, String kind) {
        MessageDigest digest = sha256();
        String mediaType = contentType == null ? "" : contentType.getType() + "/" + contentType.getSubtype();
        String head = method.name() + "\n" + pathAndQuery + "\n" + mediaType.toLowerCase() + "\n" + kind + "\n";
        digest.update(head.getBytes(StandardCharsets.UTF_8));
        return digest;
    }

    /** The body, or for multipart the body with every occurrence of its boundary removed. */
    static byte[] canonicalBody(MediaType contentType, byte[] body) {
        if (contentType == null || !"multipart".equalsIgnoreCase(contentType.getType())) {
            return body;
        }
        String boundary = contentType.getParameter("boundary");
        if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        if (boundary == null || boundary.isEmpty()) {
            return body;
        }
        return remove(body, boundary.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] remove(byte[] body, byte[] pattern) {
        byte[] out = new byte[body.length];
        int written = 0;
        int i = 0;
        while (i < body.length) {
            if (body[i] == pattern[0] && matchesAt(body, i, pattern)) {
                i += pattern.length;
            } else {
                out[written++] = body[i++];
            }
        }
        return java.util.Arrays.copyOf(out, written);
    }

    private static boolean matchesAt(byte[] body, int offset, byte[] pattern) {
        if (offset + pattern.length > body.length) {
            return false;
        }
        for (int j = 1; j < pattern.length; j++) {
            if (body[offset + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
