package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.embedding.FakeOpenAiServer;
import io.dynamicrag.processing.embedding.TokenCounter;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-tenant embedding models through the HTTP API, with a local server that speaks the OpenAI embeddings wire format:
 * a tenant switches from the local model to text-embedding-3-small with its own key; its chunks are embedded again
 * while search keeps answering from the old generation, then search switches at once; new documents are embedded
 * with the tenant's model and key, metered exactly; a rejected key fails a document with a readable message.
 */
class EmbeddingModelIntegrationTest extends IntegrationTest {

    private static final String OPENAI_KEY = "sk-test-tenant-key-0123456789";
    private static final String MODEL = "text-embedding-3-small";
    private static final FakeOpenAiServer OPENAI = start();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void openAi(DynamicPropertyRegistry registry) {
        registry.add("rag.openai.base-url", OPENAI::baseUrl);
        registry.add("rag.openai.initial-backoff", () -> "PT0.05S");
        registry.add("rag.pipeline.retry.initial-backoff", () -> "PT0.05S");
        registry.add("rag.reembedding.retired-generation-grace", () -> "PT1S");
    }

    @AfterAll
    static void stop() {
        OPENAI.close();
    }

    @Test
    void switchingToAnOpenAiModelReembedsWithoutASearchGapThenEmbedsNewDocumentsWithTheTenantsKey()
            throws Exception {
        Tenant tenant = signUp();
        putConfig(tenant, Map.of("rate_limit_requests_per_minute", 5000, "rate_limit_requests_per_day", 100000),
                200);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("Lighthouses", "The keeper climbed the lighthouse stairs each evening to light the great lamp.");
        texts.put("Bread", "Sourdough bread rises slowly because wild yeast ferments the dough overnight.");
        texts.put("Glaciers", "Glaciers carve deep valleys as the ice creeps downhill over thousands of years.");
        Map<String, String> ids = new LinkedHashMap<>();
        texts.forEach((title, text) -> ids.put(title, ingestCompleted(tenant, title, text)));

        // an OpenAI model needs the tenant's key: refused without it, nothing changes
        JsonNode refused = putConfig(tenant, Map.of("embedding_model", MODEL), 400);
        assertThat(refused.get("detail").asText()).contains("openai_api_key");
        assertThat(config(tenant).get("embedding_model").asText()).isEqualTo("all-minilm-l6-v2");

        // search without pause while the model changes: every answer is 200 and finds the text searched for
        OPENAI.reset();
        AtomicBoolean searching = new AtomicBoolean(true);
        AtomicInteger searches = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread searcher = new Thread(() -> {
            while (searching.get()) {
                texts.forEach((title, text) -> {
                    String problem = searchProblem(tenant, text, ids.get(title));
                    searches.incrementAndGet();
                    if (problem != null) {
                        failures.add(problem);
                    }
                });
            }
        });
        searcher.start();
        try {
            JsonNode changed = putConfig(tenant, Map.of("embedding_model", MODEL, "openai_api_key", OPENAI_KEY),
                    200);
            assertThat(changed.get("embedding_model").asText()).isEqualTo(MODEL);
            awaitTrue(Duration.ofSeconds(60), () -> "ready".equals(config(tenant).get("embedding_status").asText()));
            int atSwitch = searches.get();
            awaitTrue(Duration.ofSeconds(30), () -> searches.get() >= atSwitch + 6);
        } finally {
            searching.set(false);
            searcher.join();
        }
        assertThat(failures).as("searches that failed or missed while the model changed").isEmpty();
        JsonNode config = config(tenant);
        assertThat(config.get("active_embedding_model").asText()).isEqualTo(MODEL);
        assertThat(config.get("embedding_error").isNull()).isTrue();

        // the new generation holds every active chunk, embedded by OpenAI with the tenant's key and model
        List<FakeOpenAiServer.Recorded> calls = OPENAI.requests();
        assertThat(calls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/v1/embeddings");
            assertThat(call.model()).isEqualTo(MODEL);
            assertThat(call.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        });
        List<String> sent = calls.stream().flatMap(call -> call.inputs().stream()).toList();
        assertThat(sent).containsAll(texts.values());
        IndexSpace generation = new IndexSpace(TenantId.of(tenant.id()), 1, MODEL, 1536);
        try (LanceTenantChunkIndex index = new LanceTenantChunkIndex(dataDir())) {
            for (String id : ids.values()) {
                assertThat(index.countChunks(generation, DocumentId.of(id))).isEqualTo(1);
            }
            // the local model's generation is deleted after its grace period
            awaitTrue(Duration.ofSeconds(30), () -> !Files.exists(
                    index.datasetPath(IndexSpace.initial(TenantId.of(tenant.id())))));
        }

        // the re-embedding is metered too: a record per document for the local model's embedding, one per
        // document for OpenAI's (the same texts, so the same token count each time)
        long perRun = texts.values().stream().mapToLong(t -> TokenCounter.cl100k().count(t)).sum();
        awaitTrue(Duration.ofSeconds(30), () -> {
            JsonNode tokens = embeddingTokens(tenant);
            return tokens != null && tokens.get("records").asLong() == 2L * texts.size()
                    && tokens.get("quantity").asLong() == 2 * perRun;
        });
        assertThat(new BigDecimal(embeddingTokens(tenant).get("cost").asText()))
                .isEqualByComparingTo(new BigDecimal("0.02").multiply(BigDecimal.valueOf(perRun))
                        .divide(BigDecimal.valueOf(1_000_000)));

        // a new document is embedded with the tenant's model and metered exactly
        OPENAI.reset();
        String text = "Penguins huddle together through the polar winter to share their warmth.";
        String penguins = ingestCompleted(tenant, "Penguins", text);
        JsonNode document = document(tenant, penguins);
        long tokens = TokenCounter.cl100k().count(text);
        assertThat(document.get("embedding_tokens_used").asLong()).isEqualTo(tokens);
        assertThat(new BigDecimal(document.get("embedding_cost_usd").asText()))
                .isEqualByComparingTo(new BigDecimal("0.02").multiply(BigDecimal.valueOf(tokens))
                        .divide(BigDecimal.valueOf(1_000_000)));
        assertThat(OPENAI.requests()).anySatisfy(call -> assertThat(call.inputs()).containsExactly(text));
        assertThat(searchProblem(tenant, text, penguins)).isNull();

        // a rejected key: the document fails at once with the service's reason, and is not retried
        OPENAI.reset();
        OPENAI.failNext(10, 401, Map.of(), "invalid_api_key", "Incorrect API key provided");
        String rejected = ingest(tenant, Map.of("title", "Owls", "doc_type", "txt", "content",
                "Owls hunt at night with silent feathers.")).get("document_id").asText();
        JsonNode failed = awaitFinalStatus(tenant, rejected);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error_message").asText()).startsWith("embed: ").containsIgnoringCase("key");
        assertThat(OPENAI.requests()).hasSize(1);
        OPENAI.reset();

        // the key cannot be removed while the model needs it
        JsonNode keep = putConfig(tenant, Map.of("openai_api_key", ""), 400);
        assertThat(keep.get("detail").asText()).contains("openai_api_key");
    }

    @Test
    void aFailedReembeddingKeepsTheServingModelAndSaysWhy() {
        Tenant tenant = signUp();
        putConfig(tenant, Map.of("rate_limit_requests_per_minute", 5000, "rate_limit_requests_per_day", 100000),
                200);
        String id = ingestCompleted(tenant, "Tides", "The moon's pull raises the tides twice a day.");
        OPENAI.failNext(50, 401, Map.of(), "invalid_api_key", "Incorrect API key provided");
        putConfig(tenant, Map.of("embedding_model", MODEL, "openai_api_key", "sk-wrong-key-00000000"), 200);

        awaitTrue(Duration.ofSeconds(60), () -> "failed".equals(config(tenant).get("embedding_status").asText()));
        JsonNode config = config(tenant);
        assertThat(config.get("active_embedding_model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(config.get("embedding_error").asText()).containsIgnoringCase("key");
        // search still runs on the local model
        JsonNode hits = search(tenant, "what makes the sea rise and fall", 3).get("results");
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0).get("document_id").asText()).isEqualTo(id);
        assertThat(Files.exists(IndexSpace.initial(TenantId.of(tenant.id())).directory(dataDir())
                .resolve("generations").resolve("1"))).isFalse();
        OPENAI.reset();
    }

    private String ingestCompleted(Tenant tenant, String title, String text) {
        String id = ingest(tenant, Map.of("title", title, "content", text, "doc_type", "txt")).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        return id;
    }

    /** Null when searching the text answers 200 with that document first; otherwise what went wrong. */
    private String searchProblem(Tenant tenant, String text, String expectedId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/search"))
                            .header("X-API-Key", tenant.apiKey())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                    Map.of("query", text, "top_k", 3))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return response.statusCode() + " " + response.body();
            }
            JsonNode results = JSON.readTree(response.body()).get("results");
            if (results.isEmpty() || !expectedId.equals(results.get(0).get("document_id").asText())) {
                return "top hit for '" + text + "' was " + results;
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private JsonNode putConfig(Tenant tenant, Map<String, Object> change, int expectedStatus) {
        return http.put().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(change)
                .exchange()
                .expectStatus().isEqualTo(expectedStatus)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode config(Tenant tenant) {
        return http.get().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode embeddingTokens(Tenant tenant) {
        JsonNode usage = http.get().uri("/api/customers/usage")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode metric : usage.get("metrics")) {
            if (metric.get("metric_type").asText().equals("embedding_tokens")) {
                return metric;
            }
        }
        return null;
    }

    private JsonNode document(Tenant tenant, String id) {
        return http.get().uri("/api/documents/{id}", id)
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
