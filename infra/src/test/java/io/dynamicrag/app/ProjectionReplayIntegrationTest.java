package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.projections.ProcessorPositions;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rebuilding read models from the event store gives back exactly the rows they had. */
class ProjectionReplayIntegrationTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ProcessorPositions positions;

    @Test
    void replayingTheDocumentProjectionRebuildsTheSameRows() {
        Tenant tenant = signUp();
        String kept = ingest(tenant, Map.of("title", "Kept", "doc_type", "txt", "metadata", Map.of("team", "ops"),
                "content", "The first document stays as it is.")).get("document_id").asText();
        String updated = ingest(tenant, Map.of("title", "Updated", "doc_type", "txt",
                "content", "The second document gets a second version.")).get("document_id").asText();
        String deleted = ingest(tenant, Map.of("title", "Deleted", "doc_type", "txt",
                "content", "The third document is deleted again.")).get("document_id").asText();
        awaitFinalStatus(tenant, kept);
        awaitFinalStatus(tenant, updated);
        awaitFinalStatus(tenant, deleted);
        http.put().uri("/api/documents/{id}", updated).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "The second document, now in its second version."))
                .exchange().expectStatus().isAccepted();
        assertThat(awaitFinalStatus(tenant, updated).get("version").asInt()).isEqualTo(2);
        http.delete().uri("/api/documents/{id}", deleted).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk();

        List<Map<String, Object>> documents = documentRows(tenant);
        List<Map<String, Object>> versions = versionRows(tenant);
        assertThat(documents).hasSize(2);
        assertThat(versions).hasSize(3);

        // tenants may not, admins may
        http.post().uri("/api/admin/projections/document-projection/replay").header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isForbidden();
        String admin = adminToken();
        JsonNode started = http.post().uri("/api/admin/projections/document-projection/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(started.get("status").asText()).isEqualTo("replaying");
        assertThat(started.get("mode").asText()).isEqualTo("pooled");

        JsonNode status = awaitCaughtUp(admin, "document-projection", started.get("head").asLong());
        assertThat(status.get("lag").asLong()).isZero();
        assertThat(status.get("rebuildable").asBoolean()).isTrue();
        assertThat(documentRows(tenant)).isEqualTo(documents);
        assertThat(versionRows(tenant)).isEqualTo(versions);
        // and the API serves what it served before
        assertThat(http.get().uri("/api/documents/{id}", updated).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("active_version").asInt()).isEqualTo(2);
        http.get().uri("/api/documents/{id}", deleted).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void subscribingProjectionsAreRebuiltInPlace() {
        Tenant tenant = signUp();
        Tenant suspended = signUp();
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("chunking_size", 700, "chunking_overlap", 70))
                .exchange().expectStatus().isOk();
        http.put().uri("/api/customers/profile").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("company_name", "Rebuilt Ltd"))
                .exchange().expectStatus().isOk();
        String admin = adminToken();
        http.post().uri("/api/admin/customers/{id}/suspend", suspended.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "audit test"))
                .exchange().expectStatus().isOk();
        String ours = "'" + tenant.id() + "'::uuid, '" + suspended.id() + "'::uuid";
        String customersSql = "SELECT * FROM customers WHERE id IN (" + ours + ") ORDER BY id";
        String configsSql = "SELECT * FROM customer_config WHERE customer_id IN (" + ours + ") ORDER BY customer_id";
        List<Map<String, Object>> customers = rows(customersSql);
        List<Map<String, Object>> configs = rows(configsSql);
        assertThat(customers).hasSize(2)
                .anySatisfy(row -> assertThat(row.get("company_name")).isEqualTo("Rebuilt Ltd"))
                .anySatisfy(row -> assertThat(row.get("status")).isEqualTo("suspended"));
        Long tenantEvents = jdbc.queryForObject("""
                SELECT COUNT(*) FROM domain_event_entry WHERE type = 'Tenant'""", Long.class);

        JsonNode rebuilt = http.post().uri("/api/admin/projections/tenant-projection/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(rebuilt.get("status").asText()).isEqualTo("rebuilt");
        assertThat(rebuilt.get("mode").asText()).isEqualTo("subscribing");
        // every tenant event is one the projection handles, except key rotations (no read-model field)
        assertThat(rebuilt.get("events_applied").asLong()).isPositive().isLessThanOrEqualTo(tenantEvents);
        assertThat(rows(customersSql)).isEqualTo(customers);
        assertThat(rows(configsSql)).isEqualTo(configs);
        // the rebuilt read model is live: the tenant's configuration still reads and applies
        assertThat(http.get().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("chunking_size").asInt()).isEqualTo(700);
    }

    /*
     * Axon stores the token of a segment that only met events it does not handle at its next claim extension (5 s),
     * so a steady trickle of such events kept the stored positions of a finished projection behind the head: a
     * rebuild's status never said caught up (seen in CI). The position reported is the live tracker's on this node.
     */
    @Test
    void aProjectionThatIgnoresNewEventsIsReportedAtTheHead() {
        Tenant tenant = signUp();
        int aheadOfStoredToken = 0;
        for (int i = 0; i < 5; i++) {
            // a tenant event: the document projection has no handler for it
            http.put().uri("/api/customers/profile").header("X-API-Key", tenant.apiKey())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("company_name", "Trickle " + i))
                    .exchange().expectStatus().isOk();
            long head = positions.head();
            long reported = awaitValue("document-projection reported at " + head, Duration.ofSeconds(4),
                    Duration.ofMillis(20), () -> positions.position("document-projection").orElse(-1),
                    position -> position >= head);
            if (storedPosition("document-projection") < reported) {
                aheadOfStoredToken++;
            }
        }
        // at least once the stored token was still behind while the reported position was at the head
        assertThat(aheadOfStoredToken).isPositive();
    }

    private long storedPosition(String processor) {
        return jdbc.queryForList("SELECT token FROM token_entry WHERE processor_name = ?", byte[].class, processor)
                .stream().mapToLong(ProjectionReplayIntegrationTest::globalIndex).min().orElse(-1);
    }

    /** The {@code index} of a stored GapAwareTrackingToken (JSON), wrapped in a replay token or not. */
    private static long globalIndex(byte[] token) {
        if (token == null) {
            return -1; // a segment that has processed nothing yet
        }
        try {
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(token);
            JsonNode current = json.has("tokenAtReset") ? json.path("currentToken") : json;
            return current.path("index").asLong(-1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void processorsWithSideEffectsAndUnknownNamesAreRefused() {
        String admin = adminToken();
        http.post().uri("/api/admin/projections/document-pipeline/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("not a read model"));
        http.post().uri("/api/admin/projections/document-intake/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("rebuild 'document-projection'"));
        http.post().uri("/api/admin/projections/no-such-projection/replay")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound();
        JsonNode list = http.get().uri("/api/admin/projections").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        list.get("projections").forEach(p -> byName.put(p.get("name").asText(), p));
        assertThat(byName).containsKeys("document-projection", "tenant-projection", "webhook-projection",
                "document-pipeline", "pipeline-metrics");
        assertThat(byName.get("document-projection").get("mode").asText()).isEqualTo("pooled");
        assertThat(byName.get("document-projection").get("dead_letters").asLong()).isZero();
        assertThat(byName.get("tenant-projection").get("mode").asText()).isEqualTo("subscribing");
        assertThat(byName.get("document-pipeline").get("rebuildable").asBoolean()).isFalse();
        assertThat(byName.get("usage-projection").get("rebuildable").asBoolean()).isTrue();
        assertThat(byName.get("usage-metering").get("rebuildable").asBoolean()).isFalse();
    }

    private JsonNode awaitCaughtUp(String admin, String name, long head) {
        // every 1.5 s, inside the admin's rate limit; after a 429 only once its Retry-After has passed
        RetryAfter limited = new RetryAfter();
        return awaitValue(name + " caught up with position " + head, Duration.ofSeconds(60),
                Duration.ofMillis(1500), () -> {
                    if (limited.waiting()) {
                        return null;
                    }
                    var answer = http.get().uri("/api/admin/projections/{name}", name)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                            .exchange().expectBody(JsonNode.class).returnResult();
                    if (limited.answered(answer.getStatus().value(),
                            answer.getResponseHeaders().getFirst("Retry-After"))) {
                        return null;
                    }
                    assertThat(answer.getStatus().value()).isEqualTo(200);
                    return answer.getResponseBody();
                }, status -> status != null && status.get("caught_up").asBoolean()
                        && status.get("position").asLong() >= head);
    }

    /*
     * Rows of this test's tenants only: other test classes share the database and some write read-model rows
     * directly (not through events), which a rebuild rightly does not bring back.
     */
    private List<Map<String, Object>> documentRows(Tenant tenant) {
        return rows("SELECT * FROM documents WHERE customer_id = '" + tenant.id() + "'::uuid ORDER BY id");
    }

    /** Without the BIGSERIAL surrogate key, which a rebuild draws anew and nothing outside the table uses. */
    private List<Map<String, Object>> versionRows(Tenant tenant) {
        List<Map<String, Object>> rows = rows("""
                SELECT v.* FROM document_versions v JOIN documents d ON d.id = v.document_id
                WHERE d.customer_id = '%s'::uuid ORDER BY v.document_id, v.version""".formatted(tenant.id()));
        rows.forEach(row -> row.remove("id"));
        return rows;
    }

    /** Every row as column -> value; SQL arrays as their text (the driver's array objects compare by identity). */
    private List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql);
        rows.forEach(row -> row.replaceAll((column, value) -> value instanceof java.sql.Array ? value.toString() : value));
        return rows;
    }
}
