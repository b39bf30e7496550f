package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.processing.embedding.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick form of {@code scripts/drill.sh openai}: a tenant embeds through an OpenAI-wire server that answers 429
 * with Retry-After, then 500s, then nothing within the client's time-out. Retries wait what the server asks, a
 * document fails with a readable reason once the retry budget (3 attempts) is spent, and another tenant on the
 * local model is not held up meanwhile.
 *
 * <p>Its own properties make a context of its own: closed after the class (see LongPipelineStepIntegrationTest).
 */
@DirtiesContext
// the time-out test last: the fake server's delayed answers outlive it (their client has gone) and would take the
// failures scripted for a later test
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiFaultsIntegrationTest extends IntegrationTest {

    private static final String OPENAI_KEY = "sk-test-faults-tenant-0123456789";
    private static final String MODEL = "text-embedding-3-small";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
    private static final FakeOpenAiServer OPENAI = start();

    @DynamicPropertySource
    static void faultyOpenAi(DynamicPropertyRegistry registry) {
        registry.add("rag.openai.base-url", OPENAI::baseUrl);
        registry.add("rag.openai.timeout", CLIENT_TIMEOUT::toString);
        registry.add("rag.openai.initial-backoff", () -> "PT0.5S");
    }

    @AfterAll
    static void stop() {
        OPENAI.close();
    }

    @Test
    @Order(1)
    void aRateLimitedRequestIsRetriedAfterWhatRetryAfterAsksAndTheDocumentCompletes() {
        Tenant tenant = openAiTenant();
        OPENAI.reset();
        OPENAI.failNext(2, 429, Map.of("Retry-After", "2"), "rate_limit_exceeded", "Rate limit reached");
        String id = ingestText(tenant, "Rate limited twice, then embedded: the harbour report.");

        JsonNode status = awaitFinalStatus(tenant, id);
        assertThat(status.get("status").asText()).as("final status: %s", status).isEqualTo("completed");
        List<FakeOpenAiServer.Recorded> calls = OPENAI.requests();
        assertThat(calls).hasSize(3);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(Duration.ofNanos(calls.get(i).nanoTime() - calls.get(i - 1).nanoTime()))
                    .as("wait before attempt %d (Retry-After: 2)", i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
    }

    @Test
    @Order(2)
    void serverErrorsThroughTheRetryBudgetFailTheDocumentWithAReadableReason() {
        Tenant tenant = openAiTenant();
        OPENAI.reset();
        OPENAI.failNext(3, 500, Map.of(), null, "The server had an error while processing your request.");
        String id = ingestText(tenant, "Three server errors in a row: the quarterly churn report.");

        JsonNode status = awaitFinalStatus(tenant, id);
        assertThat(status.get("status").asText()).as("final status: %s", status).isEqualTo("failed");
        assertThat(status.get("error_message").asText()).contains("HTTP 500").contains("after 3 attempts");
        assertThat(OPENAI.requests()).hasSize(3);
    }

    @Test
    @Order(3)
    void timeoutsFailTheDocumentsAndAnotherTenantOnTheLocalModelIsNotHeldUp() {
        Tenant remote = openAiTenant();
        Tenant local = signUp();
        // the local model loads on its first use: not part of what is measured
        assertThat(awaitFinalStatus(local, ingestText(local, "Warm-up of the local model.")).get("status").asText())
                .isEqualTo("completed");

        OPENAI.reset();
        OPENAI.delayResponses(CLIENT_TIMEOUT.plusSeconds(2));
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stuck.add(ingestText(remote, "Never answered in time, document " + i + ": the lighthouse log."));
        }
        // every worker the pool gives this tenant is now waiting on the silent server (without a limit per tenant:
        // all four, as its queued steps take each worker that comes free)
        awaitTrue(Duration.ofSeconds(30), () -> OPENAI.requests().size() >= 3);

        long submitted = System.nanoTime();
        String other = ingestText(local, "A document of another tenant, embedded locally: the orchard notes.");
        JsonNode otherStatus = awaitFinalStatus(local, other);
        Duration otherTook = Duration.ofNanos(System.nanoTime() - submitted);
        assertThat(otherStatus.get("status").asText()).isEqualTo("completed");
        // each stuck embed step holds its worker for 3 attempts x 2 s plus 0.5 s and 1 s of backoff: 7.5 s
        assertThat(otherTook).as("the other tenant's document, from accepted to completed")
                .isLessThan(Duration.ofSeconds(5));

        for (String id : stuck) {
            JsonNode status = awaitFinalStatus(remote, id);
            assertThat(status.get("status").asText()).as("final status: %s", status).isEqualTo("failed");
            assertThat(status.get("error_message").asText())
                    .contains("did not answer any of 3 attempts within the 2 s time-out");
        }
    }

    private Tenant openAiTenant() {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("embedding_model", MODEL, "openai_api_key", OPENAI_KEY))
                .exchange()
                .expectStatus().isOk();
        awaitTrue(Duration.ofSeconds(60), () -> "ready".equals(http.get().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("embedding_status").asText()));
        return tenant;
    }

    private String ingestText(Tenant tenant, String text) {
        return ingest(tenant, Map.of("title", text.substring(0, 20), "doc_type", "txt", "content", text))
                .get("document_id").asText();
    }

    @org.junit.jupiter.api.AfterEach
    void healthyServer() {
        OPENAI.reset();
    }

    private static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
