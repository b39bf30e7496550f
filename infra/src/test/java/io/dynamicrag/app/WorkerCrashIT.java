package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.TestDatabase;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real thing: the packaged service runs as its own process, is killed with SIGKILL while documents are being
 * processed, and started again on the same database and data directory. Every accepted document must reach
 * completed, and the tenant's Lance dataset must hold each chunk exactly once.
 */
class WorkerCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dataDir = Files.createTempDirectory("rag-crash-");
    private final String databaseUrl = TestDatabase.url();
    private Process service;
    private int port;

    WorkerCrashIT() throws IOException {
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.destroyForcibly();
        }
    }

    @Test
    void everyAcceptedDocumentCompletesAfterAKillAndNoChunkIsIndexedTwice() throws Exception {
        start();
        Map<String, String> signup = Map.of("email", "crash-" + UUID.randomUUID() + "@example.com",
                "password", "crash-test-password");
        JsonNode tenant = call("POST", "/api/auth/signup", signup, null, 201);
        String key = tenant.get("api_key").asText();
        String tenantId = tenant.get("customer_id").asText();
        call("PUT", "/api/customers/config", Map.of("rate_limit_requests_per_minute", 100000,
                "rate_limit_requests_per_day", 10000000), key, 200);
        // the service caches a tenant's limits for a few seconds: wait until it applies the raised one
        Awaitility.await("raised rate limit applied").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> perMinuteLimit(key), "100000"::equals);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 60; p++) {
                text.append("Document ").append(i).append(" paragraph ").append(p)
                        .append(": crane maintenance, hull inspections and the harbour safety rota. ");
            }
            ids.add(call("POST", "/api/ingest/document", Map.of("title", "Doc " + i, "doc_type", "txt",
                    "content", text.toString()), key, 202).get("document_id").asText());
        }
        // kill while some are done and some are not
        Awaitility.await("a first document completed").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100)).until(() -> completed(key) > 0);
        int before = completed(key);
        service.destroyForcibly().waitFor();
        assertThat(before).as("documents completed before the kill").isBetween(1, 39);

        start();
        Awaitility.await("all documents completed").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500)).until(() -> completed(key) >= ids.size());
        JsonNode documents = call("GET", "/api/documents?size=100", null, key, 200).get("documents");
        service.destroy();
        service.waitFor();

        try (LanceTenantChunkIndex index = new LanceTenantChunkIndex(dataDir)) {
            for (JsonNode document : documents) {
                assertThat(document.get("status").asText()).isEqualTo("completed");
                long chunks = document.get("chunk_count").asLong();
                assertThat(chunks).isPositive();
                assertThat(index.countChunks(IndexSpace.initial(TenantId.of(tenantId)), DocumentId.of(document.get("id").asText())))
                        .as("chunks of %s in Lance", document.get("title").asText())
                        .isEqualTo(chunks);
            }
        }
        assertThat(documents).hasSize(ids.size());
    }

    private int completed(String key) throws Exception {
        return call("GET", "/api/documents?size=1&status=completed", null, key, 200).get("total").asInt();
    }

    private void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Drag.pipeline.stall-timeout=PT5S", "-Drag.pipeline.stall-check-interval=PT2S",
                "-jar", System.getProperty("app.jar"), "--server.port=" + port);
        builder.environment().put("DATABASE_URL", databaseUrl);
        builder.environment().put("RAG_DATA_DIR", dataDir.toString());
        builder.environment().put("REDIS_URL",
                System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379"));
        builder.environment().put("LANCE_LOG", "error");
        builder.redirectErrorStream(true).redirectOutput(dataDir.resolve("service-" + port + ".log").toFile());
        service = builder.start();
        Awaitility.await("service started").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(this::healthy);
    }

    /** The health endpoint answers 200; not listening yet is "no", a dead process fails the test. */
    private boolean healthy() throws InterruptedException {
        assertThat(service.isAlive()).as("service process alive; log in %s", dataDir).isTrue();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The per-minute limit the service applies to the key's requests now (X-RateLimit-Limit). */
    private String perMinuteLimit(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/documents?size=1"))
                        .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("X-RateLimit-Limit").orElse(null);
    }

    private JsonNode call(String method, String path, Object body, String key, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
