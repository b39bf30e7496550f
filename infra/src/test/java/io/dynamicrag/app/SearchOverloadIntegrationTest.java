package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.query.search.SearchAdmission;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's soak: an overloaded node kept every search waiting (for 50 s at the end) instead of saying so. With the
 * search pool full, a search over REST is answered at once with 503 problem+json and Retry-After, one over MCP with a
 * tool error that says to try again, both counted in {@code rag.search.shed}; once the pool frees, searches answer.
 */
class SearchOverloadIntegrationTest extends IntegrationTest {

    @Autowired
    SearchAdmission admission;

    @Test
    void aSearchThatFindsThePoolFullIsAnswered503AtOnceOverRestAndAToolErrorOverMcp() throws Exception {
        // the operator's own account searches (with its JWT): a new sign-up would be one more customer in the
        // context's shared database, whose totals UsageMetricsIntegrationTest checks exactly
        String token = adminToken();
        int threads = admission.settings().threads();
        CountDownLatch running = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<Mono<String>> held = new ArrayList<>();
        try {
            for (int i = 0; i < threads + admission.settings().queue(); i++) {
                Mono<String> occupied = admission.admit(() -> {
                    running.countDown();
                    await(release);
                    return CompletableFuture.completedFuture("held");
                }).cache();
                occupied.subscribe(answer -> { }, error -> { });
                held.add(occupied);
                if (i == threads - 1) {
                    assertThat(running.await(10, TimeUnit.SECONDS)).as("every search thread busy").isTrue();
                }
            }
            double shedBefore = shed();

            EntityExchangeResult<JsonNode> rest = http.post().uri("/search")
                    .header("Authorization", "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", "harbour", "top_k", 3))
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody(JsonNode.class).returnResult();
            assertThat(rest.getResponseBody().get("detail").asText())
                    .contains("Search is overloaded").contains("send it again shortly");

            try (McpSyncClient client = mcpClient(token)) {
                client.initialize();
                McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("search_documents",
                        new LinkedHashMap<>(Map.of("query", "harbour"))));
                assertThat(result.isError()).isTrue();
                assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                        .contains("Search is overloaded").endsWith("(in 1 s)");
            }
            assertThat(shed() - shedBefore).isEqualTo(2);
        } finally {
            release.countDown();
        }
        for (Mono<String> search : held) {
            assertThat(search.block(Duration.ofSeconds(10))).isEqualTo("held");
        }
        http.post().uri("/search")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "harbour", "top_k", 3))
                .exchange()
                .expectStatus().isOk();
    }

    /** rag_search_shed_total{reason="queue_full"} as Prometheus shows it. */
    private double shed() {
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return metrics.lines()
                .filter(line -> line.startsWith("rag_search_shed_total{") && line.contains("reason=\"queue_full\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private McpSyncClient mcpClient(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://localhost:" + port)
                .endpoint("/mcp")
                .customizeRequest(request -> request.header("Authorization", "Bearer " + token))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30)).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
