package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blob storage on the local file system (the zero-install default). Writes go to a temporary file first and are
 * moved into place atomically, so a crash never leaves a half-written blob under its final key.
 */
public class FileSystemBlobStore implements BlobStore {

    private final Path root;

    public FileSystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, byte[] content) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID());
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store blob " + key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read blob " + key, e);
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
                    if (Files.isRegularFile(p)) {
                        deleted[0]++;
                    }
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return deleted[0];
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete blobs under " + prefix, e);
        }
    }

    /** Refuses any key that would escape the root (keys are built by BlobKeys, this is defence in depth). */
    private Path resolve(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("Invalid blob key");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Invalid blob key");
        }
        return path;
    }
}
