package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.storage.StorageFullException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blob storage on the local file system (the zero-install default). Writes go to a temporary file first and are
 * moved into place atomically, so a crash never leaves a half-written blob under its final key. A full disk is
 * reported as {@link StorageFullException} (the API answers 507, pipeline steps wait for space).
 *
 * <p>{@link #presignUpload} hands out {@code <public-base-url>/api/uploads/<token>}, a URL of this service whose
 * token ({@link SignedUploadTokens}) names the key and the content type; the upload endpoint verifies it and
 * streams the body into {@link #put(String, InputStream, long, String)}.
 *
 * <p>Prefixes are whole path segments: {@code deletePrefix("tenants/t/documents/d1")} removes {@code d1/...} but
 * never {@code d10/...}.
 */
public class FileSystemBlobStore implements BlobStore {

    private static final String TEMP_PREFIX = ".tmp-";
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final SignedUploadTokens uploadTokens;
    private final String publicBaseUrl;

    /**
     * @param root          the directory holding every blob (created on first write)
     * @param uploadTokens  signs the upload URLs handed out by {@link #presignUpload}
     * @param publicBaseUrl the URL clients reach this service at, e.g. {@code https://rag.example.com}
     */
    public FileSystemBlobStore(Path root, SignedUploadTokens uploadTokens, String publicBaseUrl) {
        this.root = root.toAbsolutePath().normalize();
        this.uploadTokens = Objects.requireNonNull(uploadTokens, "uploadTokens");
        if (publicBaseUrl == null || !publicBaseUrl.matches("(?i)https?://\\S+")) {
            throw new IllegalArgumentException("The public URL (rag.public-url / RAG_PUBLIC_URL) must be an http(s) URL");
        }
        this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
    }

    @Override
    public void put(String key, byte[] content) {
        Path target = resolve(key);
        write(key, target, temp -> Files.write(temp, content));
    }

    @Override
    public void put(String key, InputStream content, long length, String contentType) {
        Objects.requireNonNull(content, "content");
        if (length < 0) {
            throw new IllegalArgumentException("The length of blob " + key + " must not be negative");
        }
        Path target = resolve(key);
        write(key, target, temp -> {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                long remaining = length;
                while (remaining > 0) {
                    int read = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (read < 0) {
                        throw new IOException("the stream ended after " + (length - remaining) + " of " + length
                                + " bytes");
                    }
                    out.write(buffer, 0, read);
                    remaining -= read;
                }
            }
        });
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read blob " + key, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open blob " + key, e);
        }
    }

    @Override
    public Optional<Long> size(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of blob " + key, e);
        }
    }

    @Override
    public int deletePrefix(String prefix) {
        Path base = resolve(prefix);
        if (!Files.exists(base)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(base)) {
            int[] deleted = {0};
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    boolean blob = Files.isRegularFile(p) && !p.getFileName().toString().startsWith(TEMP_PREFIX);
                    if (Files.deleteIfExists(p) && blob) {
                        deleted[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not delete blobs under " + prefix, e);
                }
            });
            return deleted[0];
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete blobs under " + prefix, e);
        }
    }

    /**
     * A URL of this service ({@code <public-base-url>/api/uploads/<token>}) that accepts one PUT of the blob with
     * header {@code Content-Type: <contentType>} until it expires.
     */
    @Override
    public PresignedUpload presignUpload(String key, String contentType, Duration ttl) {
        resolve(key);
        SignedUploadTokens.Issued issued = uploadTokens.issue(key, contentType, ttl);
        return new PresignedUpload(publicBaseUrl + "/api/uploads/" + issued.token(),
                Map.of("Content-Type", contentType), issued.expiresAt());
    }

    private void write(String key, Path target, TempWriter writer) {
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            writer.write(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (StorageFullException.isNoSpace(e)) {
                // the temporary file is removed below: a full disk never leaves a part of a blob under its key
                throw new StorageFullException("No space left in the data directory's blob storage: could not store "
                        + key, e);
            }
            throw new UncheckedIOException("Could not store blob " + key + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless: it never has a blob's name
            }
        }
    }

    /** Refuses any key that would escape the root (keys are built by BlobKeys, this is defence in depth). */
    private Path resolve(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("Invalid blob key");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("Invalid blob key");
        }
        return path;
    }

    @FunctionalInterface
    private interface TempWriter {
        void write(Path temp) throws IOException;
    }
}
