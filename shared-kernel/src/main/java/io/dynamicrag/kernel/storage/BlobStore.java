package io.dynamicrag.kernel.storage;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where raw uploads and processed artefacts live (a file system by default, S3 in production). A port: the command
 * side writes raw files through it, the processors read and write artefacts; adapters live in processors.
 * Keys are relative paths made of safe segments ({@code tenants/<uuid>/documents/<uuid>/...}); adapters refuse
 * anything else.
 */
public interface BlobStore {

    void put(String key, byte[] content);

    /** Streams {@code length} bytes into the blob (large uploads never sit in memory whole). */
    void put(String key, InputStream content, long length, String contentType);

    Optional<byte[]> get(String key);

    /** The blob's bytes as a stream the caller must close; empty when there is no such blob. */
    Optional<InputStream> open(String key);

    /** Size in bytes, or empty when there is no such blob. */
    Optional<Long> size(String key);

    /**
     * Deletes every blob under the prefix, taken as whole path segments ({@code .../d1} never touches
     * {@code .../d10/...}); returns how many were deleted.
     */
    int deletePrefix(String prefix);

    /**
     * A URL to which a client may PUT the blob's bytes, without other credentials, until it expires. S3 answers
     * with an S3 presigned URL; the file-system store with a signed URL of this service.
     */
    PresignedUpload presignUpload(String key, String contentType, Duration ttl);

    /** {@code headers} are the ones the client must send with its PUT (e.g. Content-Type). */
    record PresignedUpload(String url, Map<String, String> headers, Instant expiresAt) {
    }
}
