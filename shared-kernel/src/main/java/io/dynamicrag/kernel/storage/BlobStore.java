package io.dynamicrag.kernel.storage;

import java.util.Optional;

/**
 * Where raw uploads and processed artefacts live (a file system by default, S3 in production). A port: the command
 * side writes raw files through it, the processors read and write artefacts; adapters live in processors.
 * Keys are relative paths made of safe segments ({@code tenants/<uuid>/documents/<uuid>/...}).
 */
public interface BlobStore {

    void put(String key, byte[] content);

    Optional<byte[]> get(String key);

    /** Deletes every blob whose key starts with the prefix; returns how many were deleted. */
    int deletePrefix(String prefix);
}
