package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.TestDatabase;
import io.dynamicrag.app.database.DatabaseUrl;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster as it runs in production, on loopback: {@code scripts/cluster.sh} starts 2 api and 3 worker JVMs of the
 * packaged jar on one fresh PostgreSQL database, the local Redis and one shared data directory. Then:
 * <ol>
 *   <li>20 concurrent updates of one document through both api nodes: every answer is 202 (or a documented 409) and
 *       the versions are consecutive;</li>
 *   <li>5 tenants x 20 documents through both api nodes; the worker holding the most segments is killed with
 *       SIGKILL while documents are being indexed; its segments are owned by the others within the claim timeout +
 *       10 s; every document completes; each has exactly its chunk_count chunks in Lance, none twice; and the write
 *       log shows no two nodes writing one tenant's datasets at overlapping times.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);
    private static final int TENANTS = 5;
    private static final int DOCUMENTS_PER_TENANT = 20;
    private static final String ADMIN_EMAIL = "cluster-admin@example.com";
    private static final String ADMIN_PASSWORD = "cluster-admin-password";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path root = Path.of("").toAbsolutePath().getParent();
    private final String databaseUrl = TestDatabase.url();
    private Path dir;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final List<String> apis = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        dir = Files.createTempDirectory("rag-cluster-it-");
        String redis = System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379");
        int exit = script("start", "--api", "2", "--workers", "3", "--dir", dir.toString(),
                "--database-url", databaseUrl,
                "--env", "REDIS_URL=" + redis,
                // five JVMs on one PostgreSQL (max_connections 100 by default): small pools each
                "--env", "RAG_JDBC_POOL_SIZE=8",
                "--env", "RAG_R2DBC_POOL_SIZE=4",
                "--env", "RAG_TOKEN_CLAIM_TIMEOUT=" + CLAIM_TIMEOUT.toSeconds() + "s",
                "--env", "RAG_CLUSTER_HEARTBEAT=PT1S",
                "--env", "RAG_CLUSTER_NODE_TIMEOUT=PT5S",
                "--env", "RAG_CLUSTER_WRITE_LOG_DIR=" + dir.resolve("writes"),
                // steps held in the killed worker's memory are found and restarted quickly
                "--env", "RAG_PIPELINE_STALL_TIMEOUT=PT20S",
                "--env", "RAG_PIPELINE_STALL_CHECK_INTERVAL=PT5S",
                "--env", "RAG_PIPELINE_RESUME_QUIET_PERIOD=PT10S",
                "--env", "RAG_ADMIN_EMAIL=" + ADMIN_EMAIL,
                "--env", "RAG_ADMIN_PASSWORD=" + ADMIN_PASSWORD);
        assertThat(exit).as("cluster.sh start (logs in %s)", dir.resolve("logs")).isZero();
        for (String line : Files.readAllLines(dir.resolve("nodes.tsv"))) {
            String[] fields = line.split("\t");
            if (fields.length >= 5 && !fields[0].equals("node")) {
                urls.put(fields[0], fields[4]);
                if (fields[1].equals("api")) {
                    apis.add(fields[4]);
                }
            }
        }
        assertThat(apis).hasSize(2);
        assertThat(urls.keySet()).contains("worker-1", "worker-2", "worker-3");
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (dir != null) {
            script("stop", "--dir", dir.toString());
            // the extracted jar and the data are ~700 MB a run: keep only the logs and the write log
            for (String bulky : List.of("app", "data")) {
                Path path = dir.resolve(bulky);
                if (Files.exists(path)) {
                    try (var walk = Files.walk(path)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void concurrentUpdatesOfOneDocumentThroughTwoApiNodesAllLandAsConsecutiveVersions() throws Exception {
        String key = signUp();
        String id = call(apis.get(0), "POST", "/api/ingest/document", Map.of("title", "Rota", "doc_type", "txt",
                "content", "The harbour safety rota, first edition."), key, 202).get("document_id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String api = apis.get(i % 2);
                String content = "The harbour safety rota, edition " + (i + 2) + ": crane checks at " + i + " am.";
                answers.add(pool.submit(() -> send(api, "PUT", "/api/documents/" + id,
                        Map.of("content", content), key)));
            }
            int accepted = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as("answer %s", response.body()).isIn(202, 409);
                if (response.statusCode() == 202) {
                    accepted++;
                }
            }
            JsonNode versions = call(apis.get(1), "GET", "/api/documents/" + id + "/versions", null, key, 200)
                    .get("versions");
            List<Integer> numbers = new ArrayList<>();
            versions.forEach(v -> numbers.add(v.get("version").asInt()));
            numbers.sort(Integer::compare);
            assertThat(numbers).as("versions of the document")
                    .isEqualTo(IntStream.rangeClosed(1, 1 + accepted).boxed().toList());
            assertThat(accepted).as("updates accepted").isGreaterThanOrEqualTo(18);
            System.out.printf("ClusterIT: %d of 20 concurrent updates through two api nodes accepted, versions 1..%d%n",
                    accepted, 1 + accepted);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void killingTheBusiestWorkerLosesNothingAndNoTenantIsWrittenByTwoNodesAtOnce() throws Exception {
        List<String> keys = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            JsonNode tenant = signUpTenant();
            keys.add(tenant.get("api_key").asText());
            tenants.add(tenant.get("customer_id").asText());
        }
        Map<String, String> documentTenant = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int d = 0; d < DOCUMENTS_PER_TENANT; d++) {
                for (int t = 0; t < TENANTS; t++) {
                    String api = apis.get((d + t) % 2);
                    String key = keys.get(t);
                    String text = text(t, d);
                    int number = d;
                    sent.add(pool.submit(() -> call(api, "POST", "/api/ingest/document", Map.of(
                            "title", "Doc " + number, "doc_type", "txt", "content", text), key, 202)
                            .get("document_id").asText()));
                }
            }
            for (int i = 0; i < sent.size(); i++) {
                documentTenant.put(sent.get(i).get(), keys.get(i % TENANTS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(documentTenant).hasSize(TENANTS * DOCUMENTS_PER_TENANT);

        // kill the busiest worker while documents are being indexed
        Awaitility.await("first documents completed").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> completed(keys) >= 10);
        String victim = busiestWorker();
        int completedAtKill = completed(keys);
        long killedAt = System.currentTimeMillis();
        assertThat(script("kill", victim, "--dir", dir.toString())).isZero();
        assertThat(completedAtKill).as("documents completed when %s was killed", victim)
                .isLessThan(TENANTS * DOCUMENTS_PER_TENANT);

        // its segments go to the others within the claim timeout + 10 s
        Awaitility.await("segments of " + victim + " taken over")
                .atMost(Duration.ofMillis(Math.max(1, killedAt + CLAIM_TIMEOUT.plusSeconds(10).toMillis()
                        - System.currentTimeMillis())))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> segmentsOwnedBy(victim) == 0 && unclaimedWorkerSegments() == 0);
        long failoverMillis = System.currentTimeMillis() - killedAt;
        System.out.printf("ClusterIT: killed %s (completed %d of %d); its segments were owned by others after %d ms%n",
                victim, completedAtKill, documentTenant.size(), failoverMillis);
        assertOperatorsSeeTheTakeover(victim);

        Awaitility.await("all documents completed").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> completed(keys) >= documentTenant.size());
        System.out.printf("ClusterIT: all %d documents completed %d ms after the kill%n", documentTenant.size(),
                System.currentTimeMillis() - killedAt);

        try (LanceTenantChunkIndex index = new LanceTenantChunkIndex(dir.resolve("data"))) {
            for (int t = 0; t < TENANTS; t++) {
                JsonNode documents = call(apis.get(0), "GET", "/api/documents?size=100", null, keys.get(t), 200)
                        .get("documents");
                assertThat(documents).hasSize(DOCUMENTS_PER_TENANT);
                for (JsonNode document : documents) {
                    assertThat(document.get("status").asText()).isEqualTo("completed");
                    int chunks = document.get("chunk_count").asInt();
                    assertThat(chunks).isPositive();
                    List<Integer> stored = new ArrayList<>(index.chunkIndexes(
                            IndexSpace.initial(TenantId.of(tenants.get(t))), DocumentId.of(document.get("id").asText())));
                    stored.sort(Integer::compare);
                    assertThat(stored).as("chunks of %s in Lance, each once", document.get("id").asText())
                            .isEqualTo(IntStream.range(0, chunks).boxed().toList());
                }
            }
        }
        assertNoTenantWrittenByTwoNodesAtOnce(victim, killedAt);
    }

    /** GET /api/admin/cluster on either api node: the victim is dead and holds nothing; the live nodes hold it all. */
    private void assertOperatorsSeeTheTakeover(String victim) throws Exception {
        String token = call(apis.get(1), "POST", "/api/auth/login", Map.of("email", ADMIN_EMAIL,
                "password", ADMIN_PASSWORD), null, 200).get("token").asText();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(apis.get(1) + "/api/admin/cluster"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cluster = JSON.readTree(response.body());
        Map<String, JsonNode> nodes = new HashMap<>();
        cluster.get("nodes").forEach(node -> nodes.put(node.get("node_id").asText(), node));
        assertThat(nodes).containsKeys("api-1", "api-2", "worker-1", "worker-2", "worker-3");
        nodes.forEach((id, node) -> assertThat(node.get("alive").asBoolean()).as("%s alive", id)
                .isEqualTo(!id.equals(victim)));
        cluster.get("processors").forEach(processor -> processor.get("segments").forEach(segment -> {
            if (processor.get("name").asText().equals("tenant-index")) {
                assertThat(segment.get("owner").asText()).as("tenant-index segment %s", segment.get("segment"))
                        .isNotEqualTo(victim).startsWith("worker-");
                assertThat(segment.get("owner_alive").asBoolean()).isTrue();
            }
        }));
        assertThat(cluster.get("processors").toString()).contains("\"tenant-index\"");
    }

    /** Reads every node's write log; a write the victim began and never ended lasted until the kill. */
    private void assertNoTenantWrittenByTwoNodesAtOnce(String victim, long killedAt) throws IOException {
        record Write(String node, long begin, long end) {
        }
        Map<String, List<Write>> byTenant = new HashMap<>();
        int writes = 0;
        try (var files = Files.list(dir.resolve("writes"))) {
            for (Path file : files.toList()) {
                Map<String, Deque<String[]>> open = new HashMap<>();
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split(" ");
                    if (f.length < 6) {
                        continue; // a line cut by the kill
                    }
                    String thread = f[5];
                    if (f[0].equals("B")) {
                        open.computeIfAbsent(thread, k -> new ArrayDeque<>()).push(f);
                    } else if (f[0].equals("E")) {
                        String[] begin = open.get(thread).pop();
                        byTenant.computeIfAbsent(begin[3], k -> new ArrayList<>())
                                .add(new Write(begin[2], Long.parseLong(begin[1]), Long.parseLong(f[1])));
                        writes++;
                    }
                }
                for (Deque<String[]> unfinished : open.values()) {
                    for (String[] begin : unfinished) {
                        assertThat(begin[2]).as("only the killed node leaves a write unfinished").isEqualTo(victim);
                        byTenant.computeIfAbsent(begin[3], k -> new ArrayList<>())
                                .add(new Write(begin[2], Long.parseLong(begin[1]), killedAt));
                    }
                }
            }
        }
        assertThat(writes).as("writes logged").isGreaterThan(TENANTS * DOCUMENTS_PER_TENANT);
        byTenant.forEach((tenant, list) -> {
            list.sort(java.util.Comparator.comparingLong(Write::begin));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size() && list.get(j).begin() < list.get(i).end(); j++) {
                    assertThat(list.get(j).node()).as("tenant %s written by %s and %s at once: %s and %s", tenant,
                            list.get(i).node(), list.get(j).node(), list.get(i), list.get(j))
                            .isEqualTo(list.get(i).node());
                }
            }
        });
        System.out.printf("ClusterIT: %d index writes over %d tenants, none overlapping across nodes%n", writes,
                byTenant.size());
    }

    private String busiestWorker() throws SQLException {
        return query("""
                SELECT owner FROM token_entry WHERE owner LIKE 'worker-%'
                GROUP BY owner ORDER BY COUNT(*) DESC, owner LIMIT 1""", rs -> rs.getString(1));
    }

    private long segmentsOwnedBy(String node) throws SQLException {
        return query("SELECT COUNT(*) FROM token_entry WHERE owner = '" + node + "'", rs -> rs.getLong(1));
    }

    /** Segments of the worker-only processors that no node holds. */
    private long unclaimedWorkerSegments() throws SQLException {
        return query("""
                SELECT COUNT(*) FROM token_entry
                WHERE processor_name IN ('tenant-index', 'document-pipeline') AND owner IS NULL""",
                rs -> rs.getLong(1));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Row<T> row) throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return row.read(rs);
        }
    }

    private int completed(List<String> keys) throws Exception {
        int total = 0;
        for (int t = 0; t < keys.size(); t++) {
            total += call(apis.get(t % 2), "GET", "/api/documents?size=1&status=completed", null, keys.get(t), 200)
                    .get("total").asInt();
        }
        return total;
    }

    private static String text(int tenant, int document) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 40; p++) {
            text.append("Tenant ").append(tenant).append(" document ").append(document).append(" paragraph ")
                    .append(p).append(": crane maintenance, hull inspections and the harbour safety rota. ");
        }
        return text.toString();
    }

    private String signUp() throws Exception {
        return signUpTenant().get("api_key").asText();
    }

    private JsonNode signUpTenant() throws Exception {
        JsonNode tenant = call(apis.get(0), "POST", "/api/auth/signup", Map.of("email",
                "cluster-" + UUID.randomUUID() + "@example.com", "password", "cluster-test-password"), null, 201);
        String key = tenant.get("api_key").asText();
        call(apis.get(1), "PUT", "/api/customers/config", Map.of("rate_limit_requests_per_minute", 100000,
                "rate_limit_requests_per_day", 10000000), key, 200);
        // each node caches a tenant's limits for a few seconds: wait until every API node applies the raised one
        for (String api : apis) {
            Awaitility.await("raised rate limit applied on " + api).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> send(api, "GET", "/api/documents?size=1", null, key).headers()
                            .firstValue("X-RateLimit-Limit").orElse(null), "100000"::equals);
        }
        return tenant;
    }

    private JsonNode call(String base, String method, String path, Object body, String key, int expected)
            throws Exception {
        HttpResponse<String> response = send(base, method, path, body, key);
        assertThat(response.statusCode()).as("%s %s%s: %s", method, base, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String base, String method, String path, Object body, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int script(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts/cluster.sh").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
        return process.waitFor();
    }
}
