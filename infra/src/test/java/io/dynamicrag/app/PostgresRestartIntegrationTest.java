package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.projections.ProcessorPositions;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrivatePostgres;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick form of {@code scripts/drill.sh postgres}: the application runs against a PostgreSQL of this test's own,
 * which is stopped (fast shutdown, as {@code pg_ctlcluster ... restart} does) while documents are in the pipeline, kept
 * away for a few seconds and started again on the same port and data. While it is away ingest, search and listing
 * answer 503 application/problem+json with Retry-After within seconds (before: a 500 from the authentication filter,
 * after Hikari's 30 s wait for a connection). Afterwards, without restarting the application, every accepted document
 * completes with its chunks indexed once, new documents are accepted, and every event processor is running at the
 * head of the event store.
 *
 * <p>Its own database makes a context of its own: closed after the class (see LongPipelineStepIntegrationTest).
 */
@DirtiesContext
class PostgresRestartIntegrationTest extends IntegrationTest {

    /** Hikari's connection-timeout (3 s) plus room for a loaded 2-core machine; Hikari's default made it 30 s. */
    private static final Duration FAST = Duration.ofSeconds(6);
    private static final PrivatePostgres POSTGRES = PrivatePostgres.start();

    @DynamicPropertySource
    static void privateDatabase(DynamicPropertyRegistry registry) {
        // DATABASE_URL (the shared test database) is read before these are added; these win over what it set
        registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
        registry.add("spring.datasource.username", POSTGRES::username);
        registry.add("spring.r2dbc.url", POSTGRES::r2dbcUrl);
        registry.add("spring.r2dbc.username", POSTGRES::username);
        // a fresh event store: its Lance indexes and blobs must not meet another context's tenants
        try {
            String dataDir = Files.createTempDirectory("rag-it-pg-restart-").toString();
            registry.add("rag.data-dir", () -> dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        POSTGRES.close();
    }

    @Autowired
    private ProcessorPositions positions;

    @Autowired
    private EventProcessingConfiguration processing;

    @Test
    void requestsFailFastWith503WhilePostgresIsAwayAndNothingAcceptedIsLostAfterItsRestart() {
        Tenant tenant = signUp();
        // the status polls below would exceed the default 60 a minute while documents wait for the database
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rate_limit_requests_per_minute", 100_000,
                        "rate_limit_requests_per_day", 100_000_000))
                .exchange().expectStatus().isOk();
        expireCachedRateLimits();
        Map<String, String> tokens = new LinkedHashMap<>();   // document id -> its own rare word
        for (int i = 0; i < 3; i++) {
            String token = uniqueToken();
            tokens.put(ingest(tenant, document(token)).get("document_id").asText(), token);
        }

        // the accepted documents are somewhere in the pipeline when the server goes
        POSTGRES.stop();
        try {
            assertUnavailable("an ingest", () -> http.post().uri("/api/ingest/document")
                    .header("X-API-Key", tenant.apiKey())
                    .header("Idempotency-Key", "pg-gap-" + UUID.randomUUID())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(document(uniqueToken()))
                    .exchange().expectBody(JsonNode.class).returnResult());
            assertUnavailable("a search", () -> http.post().uri("/search")
                    .header("X-API-Key", tenant.apiKey())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "quarterly revenue", "top_k", 3))
                    .exchange().expectBody(JsonNode.class).returnResult());
            assertUnavailable("a document list", () -> http.get().uri("/api/documents?size=5")
                    .header("X-API-Key", tenant.apiKey())
                    .exchange().expectBody(JsonNode.class).returnResult());
            assertUnavailable("a document list with a JWT", () -> http.get().uri("/api/documents?size=5")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenant.token())
                    .exchange().expectBody(JsonNode.class).returnResult());
        } finally {
            POSTGRES.startAgain();
        }

        // the same application, no restart: its pools reconnect and new work is accepted
        String token = uniqueToken();
        JsonNode after = awaitValue("an ingest accepted again", Duration.ofSeconds(30), Duration.ofMillis(250),
                () -> http.post().uri("/api/ingest/document")
                        .header("X-API-Key", tenant.apiKey())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(document(token))
                        .exchange().expectBody(JsonNode.class).returnResult(),
                result -> result.getStatus().value() == 202).getResponseBody();
        tokens.put(after.get("document_id").asText(), token);

        tokens.forEach((documentId, word) -> {
            JsonNode status = awaitFinalStatus(tenant, documentId);
            assertThat(status.get("status").asText()).as("document %s: %s", documentId, status).isEqualTo("completed");
            List<String> chunks = indexedChunks(tenant, documentId, word);
            assertThat(chunks).as("chunks of %s found by its own word", documentId).isNotEmpty();
            assertThat(new HashSet<>(chunks)).as("each chunk of %s indexed once", documentId).hasSize(chunks.size());
        });

        awaitValue("every event processor running at the head of the event store", Duration.ofSeconds(60),
                Duration.ofMillis(500), this::processorsBehind, List::isEmpty);
    }

    private static void assertUnavailable(String what, Supplier<EntityExchangeResult<JsonNode>> call) {
        long started = System.nanoTime();
        EntityExchangeResult<JsonNode> answer = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(answer.getStatus().value()).as("%s while PostgreSQL is away: %s", what, answer.getResponseBody())
                .isEqualTo(503);
        assertThat(took).as("answer time of %s while PostgreSQL is away", what).isLessThan(FAST);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as("Retry-After").isNotNull();
        assertThat(answer.getResponseBody().get("detail").asText()).contains("database");
    }

    /** The (document, version, chunk) of every hit for the document's own word in its own document. */
    private List<String> indexedChunks(Tenant tenant, String documentId, String word) {
        JsonNode answer = http.post().uri("/search")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", word, "top_k", 20, "mode", "keyword",
                        "filters", Map.of("document_ids", List.of(documentId))))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> hits = new ArrayList<>();
        answer.get("results").forEach(hit -> hits.add(hit.get("document_id").asText() + "/"
                + hit.path("version").asText() + "/" + hit.get("chunk_index").asInt()));
        return hits;
    }

    /** Processors that are stopped, in error, or whose position is not the head yet (empty: all caught up). */
    private List<String> processorsBehind() {
        List<String> behind = new ArrayList<>();
        for (Map.Entry<String, EventProcessor> processor : processing.eventProcessors().entrySet()) {
            boolean inError = processor.getValue() instanceof StreamingEventProcessor streaming && streaming.isError();
            if (!processor.getValue().isRunning() || inError) {
                behind.add(processor.getKey() + (inError ? " in error" : " stopped"));
            }
        }
        long head = positions.head();
        positions.positions().forEach((name, position) -> {
            if (position != head) {
                behind.add(name + " at " + position + " of " + head);
            }
        });
        return behind;
    }

    private static String uniqueToken() {
        return "pgrestart" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static Map<String, Object> document(String token) {
        return Map.of("title", "Around a PostgreSQL restart " + token, "doc_type", "txt",
                "content", "Quarterly revenue, churn and hiring for the region. Marker " + token + ".");
    }
}
