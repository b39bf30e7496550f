package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrivateS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick form of {@code scripts/drill.sh s3}: the application stores its blobs in an S3-compatible server of
 * this test's own, which is killed for a few seconds and started again on the same port with its objects.
 * While it is down an ingest answers 503 problem+json with Retry-After (it answered a bare 500), and a document
 * whose pipeline needs its stored file waits for the storage instead of failing after three attempts within 6 s
 * (as every document caught in the drill's outage did); once the server is back that document completes, and
 * new ingests are accepted and complete.
 *
 * <p>Its own S3 server makes a context of its own: closed after the class (see LongPipelineStepIntegrationTest).
 */
@DirtiesContext
class S3OutageIntegrationTest extends IntegrationTest {

    private static final PrivateS3 S3 = PrivateS3.start();

    @DynamicPropertySource
    static void privateS3(DynamicPropertyRegistry registry) {
        registry.add("rag.storage.s3.endpoint", S3::endpoint);
        registry.add("rag.pipeline.retry.storage-interval", () -> "PT0.5S");
    }

    @AfterAll
    static void stop() {
        S3.close();
    }

    @Test
    void ingestAnswers503WhileS3IsDownAndThePipelineWaitsForItInsteadOfFailing() {
        Tenant tenant = signUp();
        String before = ingest(tenant, Map.of("title", "Before", "doc_type", "txt",
                "content", "Stored before the outage: the harbour opens at six.")).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, before).get("status").asText()).isEqualTo("completed");

        S3.kill();
        long killed = System.nanoTime();

        EntityExchangeResult<JsonNode> refused = http.post().uri("/api/ingest/document")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "During", "doc_type", "txt", "content", "Sent while S3 was down."))
                .exchange()
                .expectBody(JsonNode.class).returnResult();
        assertThat(refused.getStatus().value()).as("ingest while S3 is down: %s", refused.getResponseBody())
                .isEqualTo(503);
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        assertThat(refused.getResponseBody().get("detail").asText()).contains("storage is unavailable");

        // its pipeline reads the stored file from S3: it must wait, not fail after its three quick attempts
        http.post().uri("/api/documents/{id}/retry", before).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isAccepted();
        awaitTrue(Duration.ofSeconds(30), () -> System.nanoTime() - killed >= Duration.ofSeconds(10).toNanos());
        assertThat(status(tenant, before)).as("a document whose stored file cannot be read during the outage")
                .isEqualTo("processing");

        S3.startAgain();
        assertThat(awaitFinalStatus(tenant, before).get("status").asText()).isEqualTo("completed");
        String after = ingest(tenant, Map.of("title", "After", "doc_type", "txt",
                "content", "Sent once S3 was back: the ferry leaves at nine.")).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, after).get("status").asText()).isEqualTo("completed");
        assertThat(search(tenant, "harbour opens at six", 5).get("results").size()).isPositive();
    }

    private String status(Tenant tenant, String documentId) {
        return http.get().uri("/api/documents/{id}/status", documentId).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("status").asText();
    }
}
