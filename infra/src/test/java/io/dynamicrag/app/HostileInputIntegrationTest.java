package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs the fuzz drill ({@code scripts/drill.sh fuzz}) answered with 500 (or ran the server out of memory with),
 * each now the client's 4xx with a problem body naming what is wrong.
 */
class HostileInputIntegrationTest extends IntegrationTest {

    @Test
    void textPostgresCannotStoreIsRefusedNamingTheField() {
        Tenant tenant = signUp();
        // U+0000 and a lone surrogate are valid JSON escapes, yet neither the event store nor a text column takes them
        assertProblem(postJson(tenant, "/api/ingest/document",
                "{\"title\":\"a\\u0000b\",\"content\":\"text\",\"doc_type\":\"txt\"}"), 400, "title: must not "
                + "contain the NUL character");
        assertProblem(postJson(tenant, "/api/ingest/document",
                "{\"title\":\"t\",\"content\":\"text\",\"doc_type\":\"txt\",\"metadata\":{\"k\\ud800\":\"v\"}}"),
                400, "metadata keys must not contain an unpaired UTF-16 surrogate");
        assertProblem(postJson(tenant, "/api/ingest/document",
                "{\"title\":\"t\",\"content\":\"text\",\"doc_type\":\"txt\",\"external_id\":\"\\u0000\"}"),
                400, "external_id: must not contain the NUL character");

        JsonNode batch = postJson(tenant, "/api/ingest/batch", "[{\"title\":\"fine\",\"content\":\"text\","
                + "\"doc_type\":\"txt\"},{\"title\":\"t\",\"content\":\"text\",\"doc_type\":\"txt\","
                + "\"metadata\":{\"k\":\"v\\u0000\"}}]").expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(batch.get("accepted").asInt()).isEqualTo(1);
        JsonNode rejected = batch.get("results").get(1);
        assertThat(rejected.get("error").get("status").asInt()).isEqualTo(400);
        assertThat(rejected.get("error").get("detail").asText()).contains("metadata.k: must not contain the NUL");

        assertProblem(postJson(tenant, "/api/webhooks", "{\"name\":\"hook\\u0000\"}"), 400, "name: must not contain");
        assertProblem(postJson(tenant, "/api/webhooks", "{\"name\":\"hook\",\"config\":{\"default_metadata\":"
                + "{\"team\":\"\\ud800\"}}}"), 400, "config.default_metadata.team");
        assertProblem(http.post().uri("/api/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"user-" + UUID.randomUUID() + "@example.com\",\"password\":\"" + PASSWORD
                        + "\",\"company_name\":\"Acme\\u0000\"}").exchange(), 400, "company_name: must not contain");
    }

    @Test
    void malformedMultipartBodiesAreBadRequests() {
        Tenant tenant = signUp();
        // a field whose Content-Disposition lost its name (one flipped byte in the fuzz run)
        assertProblem(multipart(tenant, "--b\r\nContent-Disposition: form-data; nXme=\"title\"\r\n\r\nhello\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"), 400, "Malformed multipart body");
        // a part whose Content-Type names a charset that does not exist
        assertProblem(multipart(tenant, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain; charset=nope\r\n\r\nhello\r\n--b--\r\n"), 400, "Content-Type is invalid");
    }

    @Test
    void aDryRunOfAMappingWithHugeArrayIndexesAnswersAtOnce() {
        Tenant tenant = signUp();
        String deep = "a.999999.b.999999.c.999999.d.999999.e.999999";
        JsonNode created = postJson(tenant, "/api/webhooks", "{\"name\":\"deep\",\"config\":{\"field_mapping\":"
                + "{\"title\":\"" + deep.replace('a', 't') + "\",\"content\":\"" + deep + "\"}}}").expectStatus()
                .isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        // before: the sample payload padded five arrays to a million objects each, per mapped field (out of heap)
        JsonNode preview = http.post().uri("/api/webhooks/{id}/test", created.get("id").asText())
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(preview.get("title").asText()).isEqualTo("Test delivery from Dynamic RAG");
        assertThat(preview.get("content_preview").asText()).startsWith("This is a sample document");
    }

    private WebTestClient.ResponseSpec postJson(Tenant tenant, String path, String json) {
        return http.post().uri(path)
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    private WebTestClient.ResponseSpec multipart(Tenant tenant, String body) {
        return http.post().uri("/api/ingest/file")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=b"))
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    private static void assertProblem(WebTestClient.ResponseSpec answer, int status, String detail) {
        JsonNode problem = answer.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(problem.get("detail").asText()).contains(detail);
    }
}
