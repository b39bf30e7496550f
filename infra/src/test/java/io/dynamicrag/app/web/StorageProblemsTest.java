package io.dynamicrag.app.web;

import io.dynamicrag.kernel.storage.StorageFullException;
import io.dynamicrag.kernel.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's S3 and disk drills: an ingest while the blob storage was down or full answered a bare 500 ("Internal
 * error"). Now it is 503 (unreachable) or 507 (full), as problem+json naming the cause, with Retry-After, also when
 * the failure arrives wrapped (a command's CompletionException) or as a plain "No space left on device".
 */
class StorageProblemsTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();
    private final MockServerWebExchange exchange = MockServerWebExchange.from(
            MockServerHttpRequest.post("/api/ingest/document").build());

    @Test
    void unreachableStorageIs503WithRetryAfter() {
        ResponseEntity<Object> answer = answer(new CompletionException(new StorageUnavailableException(
                "Could not store blob k in S3 bucket b: Connect to 127.0.0.1:9 failed",
                new IOException("Connection refused"))));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(detail(answer)).contains("storage is unavailable").contains("nothing was stored")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void aFullDiskIs507WithRetryAfter() {
        for (Exception full : new Exception[]{
                new StorageFullException("No space left in the data directory's blob storage: could not store k",
                        new IOException("No space left on device")),
                new UncheckedIOException("No room for the upload", new IOException("No space left on device"))}) {
            ResponseEntity<Object> answer = answer(full);
            assertThat(answer.getStatusCode().value()).isEqualTo(507);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(detail(answer)).contains("storage is full").contains("nothing was stored");
        }
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertThat(answer(new IllegalStateException("boom")).getStatusCode().value()).isEqualTo(500);
    }

    private ResponseEntity<Object> answer(Exception failure) {
        return handler.unexpected(failure, exchange).block();
    }

    private static String detail(ResponseEntity<Object> answer) {
        return ((ProblemDetail) answer.getBody()).getDetail();
    }
}
