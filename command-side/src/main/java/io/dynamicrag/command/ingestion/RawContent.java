package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.storage.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a submission, already hashed, wherever they wait (memory, a temporary file, an upload). */
interface RawContent extends AutoCloseable {

    String sha256();

    long size();

    /** Reads the bytes (e.g. to detect their type); the caller closes the stream. */
    InputStream open();

    void storeTo(BlobStore blobs, String key, String contentType);

    @Override
    default void close() {
    }

    static RawContent of(byte[] bytes) {
        String hash = ContentHash.sha256Hex(bytes);
        return new RawContent() {
            public String sha256() {
                return hash;
            }

            public long size() {
                return bytes.length;
            }

            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            public void storeTo(BlobStore blobs, String key, String contentType) {
                blobs.put(key, bytes);
            }
        };
    }

    /** A temporary file that is deleted when the submission is done with it. */
    static RawContent ofTempFile(Path file, String sha256) {
        return new RawContent() {
            public String sha256() {
                return sha256;
            }

            public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public InputStream open() {
                try {
                    return Files.newInputStream(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void storeTo(BlobStore blobs, String key, String contentType) {
                try (InputStream in = open()) {
                    blobs.put(key, in, size(), contentType);
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not store the upload", e);
                }
            }

            public void close() {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless; the OS cleans its temp directory
                }
            }
        };
    }

    /** Bytes a client uploaded straight to storage: copied under the document's key, then the upload is removed. */
    static RawContent ofBlob(BlobStore uploads, String uploadKey, String sha256, long size) {
        return new RawContent() {
            public String sha256() {
                return sha256;
            }

            public long size() {
                return size;
            }

            public InputStream open() {
                return uploads.open(uploadKey).orElseThrow(() -> new IllegalStateException("the upload is gone"));
            }

            public void storeTo(BlobStore blobs, String key, String contentType) {
                try (InputStream in = open()) {
                    blobs.put(key, in, size, contentType);
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not copy the upload", e);
                }
            }

            public void close() {
                uploads.deletePrefix(uploadKey);
            }
        };
    }
}
