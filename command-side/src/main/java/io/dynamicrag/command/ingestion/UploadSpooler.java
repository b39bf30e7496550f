package io.dynamicrag.command.ingestion;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes an upload to a temporary file while counting and hashing it, and stops the moment it passes the limit,
 * so an oversized upload never fills the disk and large files never sit in memory.
 */
final class UploadSpooler {

    private UploadSpooler() {
    }

    static Mono<RawContent> spool(Flux<DataBuffer> body, long maxBytes) {
        return Mono.defer(() -> {
            Path file;
            try {
                file = Files.createTempFile("rag-upload-", ".bin");
            } catch (IOException e) {
                return Mono.error(new UncheckedIOException("No room for the upload", e));
            }
            MessageDigest sha = sha256();
            AtomicLong size = new AtomicLong();
            Flux<DataBuffer> counted = body.doOnNext(buffer -> {
                if (size.addAndGet(buffer.readableByteCount()) > maxBytes) {
                    DataBufferUtils.release(buffer);
                    throw IngestionRefusedException.tooLarge(size.get(), maxBytes);
                }
                try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
                    while (buffers.hasNext()) {
                        ByteBuffer next = buffers.next();
                        sha.update(next);
                    }
                }
            });
            return DataBufferUtils.write(counted, file)
                    .then(Mono.fromCallable(() -> RawContent.ofTempFile(file, HexFormat.of().formatHex(sha.digest()))))
                    .onErrorResume(e -> {
                        deleteQuietly(file);
                        return Mono.error(e);
                    })
                    .doOnCancel(() -> deleteQuietly(file));
        });
    }

    /** Hash and size of a stream (a blob uploaded straight to storage). */
    static Hashed hash(InputStream in) {
        MessageDigest sha = sha256();
        byte[] chunk = new byte[64 * 1024];
        long size = 0;
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                sha.update(chunk, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload", e);
        }
        return new Hashed(HexFormat.of().formatHex(sha.digest()), size);
    }

    record Hashed(String sha256, long size) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the OS cleans its temp directory
        }
    }
}
