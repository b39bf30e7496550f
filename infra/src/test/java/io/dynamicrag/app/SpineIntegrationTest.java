package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One document through the whole real stack: sign-up, ingest, pipeline, read models, Lance, search, isolation. */
class SpineIntegrationTest extends IntegrationTest {

    private static final String TRAVEL = """
            Our spring trip started in Lyon, where we spent two days tasting local cheese and walking along the Rhone.

            In Paris we visited the Eiffel Tower, which was finished in 1889 for the World's Fair and is made of \
            wrought iron. The view from the top floor covers the whole city.

            The last stop was Bordeaux. The vineyards around the city produce some of the most expensive wines \
            in the world, and the old town is a UNESCO heritage site.""";

    private static final String BIOLOGY = """
            Photosynthesis converts light energy into chemical energy. Chlorophyll in the chloroplasts absorbs \
            mostly blue and red light, and the plant stores the energy as glucose.""";

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void documentFlowsEndToEndAndStaysInsideItsTenant() throws Exception {
        Tenant alice = signUp();
        Tenant bob = signUp();

        JsonNode accepted = ingest(alice, Map.of("title", "Travel diary", "content", TRAVEL, "doc_type", "md",
                "external_id", "diary-1", "metadata", Map.of("trip", "france", "year", 2026)));
        String aliceDoc = accepted.get("document_id").asText();
        assertThat(accepted.get("version").asInt()).isEqualTo(1);
        assertThat(accepted.get("status").asText()).isEqualTo("processing");
        assertThat(accepted.get("status_url").asText()).isEqualTo("/api/documents/" + aliceDoc + "/status");
        String bobDoc = ingest(bob, Map.of("title", "Biology notes", "content", BIOLOGY, "doc_type", "txt"))
                .get("document_id").asText();

        JsonNode status = awaitFinalStatus(alice, aliceDoc);
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(status.get("document_id").asText()).isEqualTo(aliceDoc);
        assertThat(status.get("version").asInt()).isEqualTo(1);
        assertThat(status.get("chunk_count").asInt()).isPositive();
        assertThat(status.get("character_count").asInt()).isBetween(TRAVEL.length() - 20, TRAVEL.length());
        assertThat(status.get("error_message").isNull()).isTrue();
        assertThat(awaitFinalStatus(bob, bobDoc).get("status").asText()).isEqualTo("completed");

        // read models hold what the events said
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT customer_id::text AS customer_id, status, chunk_count, external_id, metadata->>'year' AS year,"
                        + " processing_time_ms FROM documents WHERE id = ?::uuid", aliceDoc);
        assertThat(row.get("customer_id")).isEqualTo(alice.id());
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(row.get("external_id")).isEqualTo("diary-1");
        assertThat(row.get("year")).isEqualTo("2026");
        assertThat((Long) row.get("processing_time_ms")).isNotNegative();
        // the local model costs nothing, but its tokens are metered (cl100k) like a paid model's
        Map<String, Object> usage = jdbc.queryForMap("SELECT embedding_tokens_used, embedding_cost_usd FROM documents "
                + "WHERE id = ?::uuid", aliceDoc);
        assertThat((Long) usage.get("embedding_tokens_used")).isGreaterThan(TRAVEL.length() / 8);
        assertThat((java.math.BigDecimal) usage.get("embedding_cost_usd")).isZero();
        assertThat(jdbc.queryForList("SELECT version, is_active, status FROM document_versions "
                + "WHERE document_id = ?::uuid", aliceDoc))
                .containsExactly(Map.of("version", 1, "is_active", true, "status", "completed"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aliceDoc)).isEqualTo(5L);

        // each tenant has its own Lance dataset
        assertThat(Files.isDirectory(dataDir().resolve("customers").resolve(alice.id()).resolve("chunks.lance")))
                .isTrue();
        assertThat(Files.isDirectory(dataDir().resolve("customers").resolve(bob.id()).resolve("chunks.lance")))
                .isTrue();

        // a paraphrase finds the sentence
        JsonNode results = search(alice, "When was the iron landmark in the French capital built?", 3)
                .get("results");
        assertThat(results).isNotEmpty();
        JsonNode top = results.get(0);
        assertThat(top.get("document_id").asText()).isEqualTo(aliceDoc);
        assertThat(top.get("title").asText()).isEqualTo("Travel diary");
        assertThat(top.get("text").asText()).contains("Eiffel Tower");
        assertThat(top.get("version").asInt()).isEqualTo(1);
        assertThat(top.has("chunk_index")).isTrue();
        // hybrid (the default) scores by reciprocal rank; vector mode scores by cosine similarity
        assertThat(top.get("score").asDouble()).isPositive();
        JsonNode vectorTop = http.post().uri("/search").header("X-API-Key", alice.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "When was the iron landmark in the French capital built?", "top_k", 1,
                        "mode", "vector"))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("results").get(0);
        assertThat(vectorTop.get("document_id").asText()).isEqualTo(aliceDoc);
        assertThat(vectorTop.get("score").asDouble()).isGreaterThan(0.2);

        // bob's search never returns alice's chunks, even for alice's exact words
        JsonNode bobResults = search(bob, "Eiffel Tower 1889 wrought iron Paris", 100).get("results");
        assertThat(bobResults).isNotEmpty();
        for (JsonNode hit : bobResults) {
            assertThat(hit.get("document_id").asText()).isEqualTo(bobDoc);
            assertThat(hit.get("text").asText()).doesNotContain("Eiffel");
        }

        // bob cannot see alice's document by id, by status or in his list
        for (String path : List.of("/api/documents/" + aliceDoc, "/api/documents/" + aliceDoc + "/status")) {
            http.get().uri(path).header("X-API-Key", bob.apiKey()).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        JsonNode bobList = http.get().uri("/api/documents").header("X-API-Key", bob.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(bobList.get("total").asLong()).isEqualTo(1);
        assertThat(bobList.get("documents").get(0).get("id").asText()).isEqualTo(bobDoc);

        // alice sees her document through the dashboard's JWT as well
        JsonNode details = http.get().uri("/api/documents/{id}", aliceDoc)
                .header("Authorization", "Bearer " + alice.token()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(details.get("title").asText()).isEqualTo("Travel diary");
        assertThat(details.get("metadata").get("trip").asText()).isEqualTo("france");
        assertThat(details.get("status").asText()).isEqualTo("completed");
    }

    @Test
    void aDocumentWithoutTextFailsWithAReadableError() {
        Tenant tenant = signUp();
        String id = ingest(tenant, Map.of("title", "Empty page",
                "content", "<html><head><script>var x = 1;</script></head><body>   </body></html>",
                "doc_type", "html")).get("document_id").asText();
        JsonNode status = awaitFinalStatus(tenant, id);
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("error_message").asText()).isEqualTo("parse: no text could be extracted from the document");
        assertThat(search(tenant, "anything", 5).get("results")).isEmpty();
    }

    @Test
    void signUpReturnsCredentialsThatWorkAndStoresOnlyHashes() {
        Tenant tenant = signUp();
        assertThat(tenant.apiKey()).startsWith("drag_").hasSizeGreaterThan(40);
        assertThat(UUID.fromString(tenant.id())).isNotNull();
        String[] jwtParts = tenant.token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(jwtParts[1]));
        assertThat(payload).contains("\"sub\":\"" + tenant.id() + "\"").doesNotContain(tenant.apiKey());

        Map<String, Object> stored = jdbc.queryForMap(
                "SELECT password_hash, api_key_hash FROM tenant_credentials WHERE tenant_id = ?::uuid", tenant.id());
        assertThat((String) stored.get("password_hash")).startsWith("$2").doesNotContain("s3cret");
        assertThat((String) stored.get("api_key_hash")).hasSize(64).isNotEqualTo(tenant.apiKey());
        String events = String.join("\n", jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ?",
                String.class, tenant.id()));
        assertThat(events).contains(tenant.email()).doesNotContain("$2").doesNotContain(tenant.apiKey())
                .doesNotContain((String) stored.get("api_key_hash"));

        http.get().uri("/api/documents").header("Authorization", "Bearer " + tenant.apiKey()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aTakenEmailIsAConflict() {
        Tenant tenant = signUp();
        http.post().uri("/api/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", tenant.email().toUpperCase(), "password", "another-passw0rd"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("already exists"));
    }

    @Test
    void missingOrUnknownCredentialsAre401() {
        Tenant tenant = signUp();
        String unsigned = tenant.token().substring(0, tenant.token().lastIndexOf('.') + 1);
        String noneAlg = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + tenant.token().split("\\.")[1] + ".";
        List<Map<String, String>> bad = new ArrayList<>();
        bad.add(Map.of());
        bad.add(Map.of("X-API-Key", "drag_" + "A".repeat(43)));
        bad.add(Map.of("X-API-Key", "not-a-key"));
        bad.add(Map.of("Authorization", "Bearer drag_unknown"));
        bad.add(Map.of("Authorization", "Bearer " + unsigned + "forged"));
        bad.add(Map.of("Authorization", "Bearer " + noneAlg));
        bad.add(Map.of("Authorization", "Bearer garbage"));
        for (Map<String, String> headers : bad) {
            for (String path : List.of("/api/documents", "/api/documents/" + UUID.randomUUID() + "/status")) {
                http.get().uri(path).headers(h -> headers.forEach(h::add)).exchange()
                        .expectStatus().isUnauthorized()
                        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            }
            http.post().uri("/search").headers(h -> headers.forEach(h::add))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "x"))
                    .exchange().expectStatus().isUnauthorized();
            http.post().uri("/api/ingest/document").headers(h -> headers.forEach(h::add))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("title", "t", "content", "c", "doc_type", "txt"))
                    .exchange().expectStatus().isUnauthorized();
        }
    }

    @Test
    void badInputIsA400NamingTheProblem() {
        Tenant tenant = signUp();
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":\"\",\"doc_type\":\"txt\"}", "content");
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":\"   \",\"doc_type\":\"txt\"}", "content");
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":\"hello\",\"doc_type\":\"exe\"}",
                "doc_type: must be one of");
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":\"hello\"}", "doc_type");
        assertBadRequest(tenant, "{\"content\":\"hello\",\"doc_type\":\"txt\"}", "title");
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":\"hel", "Malformed JSON");
        assertBadRequest(tenant, "[1,2]", "Invalid");
        assertBadRequest(tenant, "{\"title\":\"t\",\"content\":{\"a\":1},\"doc_type\":\"txt\"}", "content");
        assertBadRequest(tenant, "", "body");

        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // 0xFF is never valid in UTF-8
        byte[] invalidUtf8 = "{\"title\":\"t\",\"doc_type\":\"txt\",\"content\":\"\u00ff\"}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(invalidUtf8).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("UTF-8"));
        String oversized = "{\"title\":\"t\",\"doc_type\":\"txt\",\"content\":\"" + "x".repeat(26 * 1024 * 1024)
                + "\"}";
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(oversized).exchange()
                .expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("larger"));

        http.post().uri("/search").header("X-API-Key", tenant.apiKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "x", "top_k", 0)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("top_k"));
        http.post().uri("/search").header("X-API-Key", tenant.apiKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("top_k", 5)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("query"));

        http.post().uri("/api/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "not-an-email", "password", "short")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d)
                        .contains("email").contains("password"));

        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
            http.get().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey()).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("not found"));
        }
        http.get().uri("/api/documents?size=1000").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void healthIsOpenAndUp() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
    }

    private void assertBadRequest(Tenant tenant, String body, String detailContains) {
        http.post().uri("/api/ingest/document")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains(detailContains));
    }
}
