package io.dynamicrag.app.storage;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.storage.SignedUploadTokens;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file-system store's stand-in for an S3 presigned PUT: {@code PUT /api/uploads/<token>} with the file as the
 * body. The signed token is the only credential (like S3's signature): it names the storage key, the content type
 * the client must send, and an expiry.
 */
@RestController
class SignedUploadController {

    private final SignedUploadTokens tokens;
    private final BlobStore blobs;
    private final long maxBytes;

    SignedUploadController(SignedUploadTokens tokens, BlobStore blobs,
                           @Value("${rag.storage.max-upload-bytes:1073741824}") long maxBytes) {
        this.tokens = tokens;
        this.blobs = blobs;
        this.maxBytes = maxBytes;
    }

    @PutMapping("/api/uploads/{token}")
    Mono<Void> upload(@PathVariable String token,
                      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                      @RequestBody(required = false) Flux<DataBuffer> body) {
        SignedUploadTokens.Upload upload;
        try {
            upload = tokens.verify(token);
        } catch (SignedUploadTokens.InvalidTokenException e) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, e.expired()
                    ? "This upload URL has expired; ask for a new one" : "This upload URL is not valid");
        }
        if (upload.contentType() != null && !upload.contentType().equalsIgnoreCase(contentType)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Send the header Content-Type: "
                    + upload.contentType() + " (it is part of the signed URL)");
        }
        Flux<DataBuffer> content = body == null ? Flux.empty() : body;
        return Mono.using(() -> Files.createTempFile("rag-put-", ".bin"),
                file -> DataBufferUtils.write(limited(content), file)
                        .then(Mono.fromRunnable(() -> store(upload, file)).subscribeOn(Schedulers.boundedElastic()))
                        .then(),
                SignedUploadController::deleteQuietly);
    }

    private Flux<DataBuffer> limited(Flux<DataBuffer> body) {
        AtomicLong size = new AtomicLong();
        return body.doOnNext(buffer -> {
            if (size.addAndGet(buffer.readableByteCount()) > maxBytes) {
                DataBufferUtils.release(buffer);
                throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE,
                        "The upload is larger than " + maxBytes + " bytes");
            }
        });
    }

    private void store(SignedUploadTokens.Upload upload, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(upload.key(), in, Files.size(file), upload.contentType());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the upload", e);
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
