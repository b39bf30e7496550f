package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Managed webhooks through HTTP: their URLs ingest without any header, and only their owner can manage them. */
class WebhookIntegrationTest extends IntegrationTest {

    private static final Map<String, Object> MAPPING_CONFIG = Map.of(
            "field_mapping", Map.of("title", "subject", "content", "body.text", "external_id", "/ticket/id"),
            "default_metadata", Map.of("source", "n8n", "team", "support"),
            "doc_type", "md");

    @Test
    void aNewWebhookUrlIngestsWithoutHeadersUsingItsMapping() {
        Tenant tenant = signUp();
        JsonNode created = create(tenant, Map.of("name", "Support tickets", "trigger_type", "event",
                "config", MAPPING_CONFIG));
        String id = created.get("id").asText();
        String url = created.get("webhook_url").asText();
        assertThat(url).contains("/api/webhooks/in/whk_").doesNotContain("…");
        assertThat(created.get("signing_secret").asText()).startsWith("whsec_");
        assertThat(created.get("trigger_type").asText()).isEqualTo("event");
        assertThat(created.get("is_active").asBoolean()).isTrue();
        assertThat(created.get("last_triggered_at").isNull()).isTrue();
        assertThat(created.get("config").get("field_mapping").get("content").asText()).isEqualTo("body.text");
        assertThat(created.get("config").get("default_metadata").get("team").asText()).isEqualTo("support");

        JsonNode accepted = deliver(url, """
                {"subject": "Printer jam on floor 3", "ticket": {"id": "T-4411"}, "priority": "high",
                 "body": {"text": "# Printer\\nThe printer on floor 3 jams every morning at nine."}}""",
                HttpStatus.ACCEPTED);
        String documentId = accepted.get("document_id").asText();
        assertThat(accepted.get("status").asText()).isEqualTo("processing");
        assertThat(awaitFinalStatus(tenant, documentId).get("status").asText()).isEqualTo("completed");

        JsonNode document = get(tenant, "/api/documents/" + documentId, HttpStatus.OK);
        assertThat(document.get("title").asText()).isEqualTo("Printer jam on floor 3");
        assertThat(document.get("doc_type").asText()).isEqualTo("md");
        assertThat(document.get("external_id").asText()).isEqualTo("T-4411");
        assertThat(document.get("metadata").get("source").asText()).isEqualTo("n8n");
        assertThat(document.get("metadata").get("team").asText()).isEqualTo("support");
        assertThat(document.get("metadata").get("priority").asText()).isEqualTo("high");
        assertThat(document.get("metadata").get("webhook_id").asText()).isEqualTo(id);
        assertThat(search(tenant, "Which printer keeps jamming?", 3).get("results").get(0).get("document_id")
                .asText()).isEqualTo(documentId);

        JsonNode shown = get(tenant, "/api/webhooks/" + id, HttpStatus.OK);
        assertThat(shown.get("last_triggered_at").isNull()).isFalse();
        assertThat(shown.get("name").asText()).isEqualTo("Support tickets");
        assertThat(shown.get("config").get("doc_type").asText()).isEqualTo("md");
        assertThat(shown.has("signing_secret")).isFalse();
        String token = URI.create(url).getPath().substring("/api/webhooks/in/".length());
        assertThat(shown.get("webhook_url").asText()).endsWith("/api/webhooks/in/" + token.substring(0, 8) + "…")
                .doesNotContain(token);
        JsonNode list = get(tenant, "/api/webhooks", HttpStatus.OK).get("webhooks");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(id);
        assertThat(list.get(0).get("webhook_url").asText()).doesNotContain(token);

        // an array is a batch, one result per item
        JsonNode batch = deliver(url, """
                [{"subject": "One", "body": {"text": "First item."}},
                 {"subject": "Two", "body": {"text": "Second item."}},
                 {"subject": "Empty"}]""", HttpStatus.ACCEPTED);
        assertThat(batch.get("accepted").asInt()).isEqualTo(2);
        assertThat(batch.get("rejected").asInt()).isEqualTo(1);
        assertThat(batch.get("results").get(2).get("error").get("detail").asText()).contains("content");
    }

    @Test
    void rotatingTheUrlRetiresTheOldOneAtOnce() {
        Tenant tenant = signUp();
        JsonNode created = create(tenant, Map.of("name", "Rotating"));
        String oldUrl = created.get("webhook_url").asText();
        deliver(oldUrl, "{\"title\": \"Before\", \"content\": \"Before the rotation.\"}", HttpStatus.ACCEPTED);

        JsonNode rotated = http.post().uri("/api/webhooks/{id}/rotate", created.get("id").asText())
                .header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String newUrl = rotated.get("webhook_url").asText();
        assertThat(newUrl).isNotEqualTo(oldUrl).doesNotContain("…");
        assertThat(rotated.has("signing_secret")).isFalse();

        JsonNode refused = deliver(oldUrl, "{\"title\": \"After\", \"content\": \"Old URL.\"}", HttpStatus.NOT_FOUND);
        assertThat(refused.get("detail").asText()).isEqualTo("No active webhook has this URL");
        deliver(newUrl, "{\"title\": \"After\", \"content\": \"New URL.\"}", HttpStatus.ACCEPTED);
        assertThat(get(tenant, "/api/webhooks/" + created.get("id").asText(), HttpStatus.OK)
                .get("webhook_url").asText()).endsWith(URI.create(newUrl).getPath().substring(17, 25) + "…");
    }

    @Test
    void anInactiveOrDeletedWebhookAnswersLikeAnUnknownUrl() {
        Tenant tenant = signUp();
        JsonNode created = create(tenant, Map.of("name", "Switchable", "is_active", false));
        String id = created.get("id").asText();
        String url = created.get("webhook_url").asText();
        String body = "{\"title\": \"T\", \"content\": \"Some text.\"}";
        String unknownDetail = deliver(url.substring(0, url.length() - 4) + "AAAA", body, HttpStatus.NOT_FOUND)
                .get("detail").asText();
        assertThat(deliver(url, body, HttpStatus.NOT_FOUND).get("detail").asText()).isEqualTo(unknownDetail);

        JsonNode updated = update(tenant, id, Map.of("is_active", true), HttpStatus.OK);
        assertThat(updated.get("is_active").asBoolean()).isTrue();
        assertThat(updated.get("webhook_url").asText()).endsWith("…");
        deliver(url, body, HttpStatus.ACCEPTED);

        update(tenant, id, Map.of("is_active", false), HttpStatus.OK);
        assertThat(deliver(url, body, HttpStatus.NOT_FOUND).get("detail").asText()).isEqualTo(unknownDetail);
        assertThat(get(tenant, "/api/webhooks/" + id, HttpStatus.OK).get("is_active").asBoolean()).isFalse();

        update(tenant, id, Map.of("is_active", true, "name", "Renamed", "trigger_type", "scheduled"), HttpStatus.OK);
        JsonNode shown = get(tenant, "/api/webhooks/" + id, HttpStatus.OK);
        assertThat(shown.get("name").asText()).isEqualTo("Renamed");
        assertThat(shown.get("trigger_type").asText()).isEqualTo("scheduled");

        http.delete().uri("/api/webhooks/{id}", id).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("deleted");
        assertThat(deliver(url, body, HttpStatus.NOT_FOUND).get("detail").asText()).isEqualTo(unknownDetail);
        get(tenant, "/api/webhooks/" + id, HttpStatus.NOT_FOUND);
        http.delete().uri("/api/webhooks/{id}", id).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isNotFound();
        assertThat(get(tenant, "/api/webhooks", HttpStatus.OK).get("webhooks")).isEmpty();
    }

    @Test
    void anotherTenantCannotSeeOrManageTheWebhook() {
        Tenant owner = signUp();
        Tenant other = signUp();
        JsonNode created = create(owner, Map.of("name", "Private"));
        String id = created.get("id").asText();

        get(other, "/api/webhooks/" + id, HttpStatus.NOT_FOUND);
        update(other, id, Map.of("name", "Taken over"), HttpStatus.NOT_FOUND);
        for (String action : List.of("rotate", "test")) {
            http.post().uri("/api/webhooks/{id}/" + action, id).header("X-API-Key", other.apiKey())
                    .exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        http.delete().uri("/api/webhooks/{id}", id).header("X-API-Key", other.apiKey())
                .exchange().expectStatus().isNotFound();
        assertThat(get(other, "/api/webhooks", HttpStatus.OK).get("webhooks")).isEmpty();
        get(owner, "/api/webhooks/not-a-uuid", HttpStatus.NOT_FOUND);

        // untouched: the owner's URL still works and the name is unchanged
        deliver(created.get("webhook_url").asText(), "{\"title\": \"T\", \"content\": \"Still mine.\"}",
                HttpStatus.ACCEPTED);
        assertThat(get(owner, "/api/webhooks/" + id, HttpStatus.OK).get("name").asText()).isEqualTo("Private");
        // the management API needs a credential; the inbound URL needs none
        http.get().uri("/api/webhooks").exchange().expectStatus().isUnauthorized();
        http.post().uri("/api/webhooks").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "x"))
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void invalidRequestsAreRefusedNamingTheField() {
        Tenant tenant = signUp();
        assertThat(createRefused(tenant, Map.of("trigger_type", "event"))).contains("name");
        assertThat(createRefused(tenant, Map.of("name", "x", "trigger_type", "hourly"))).contains("trigger_type");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", "not an object"))).contains("config");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("field_mapping",
                Map.of("summary", "text"))))).contains("config.field_mapping.summary");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("field_mapping",
                Map.of("title", ""))))).contains("config.field_mapping.title");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("default_metadata",
                Map.of("nested", Map.of("a", 1)))))).contains("config.default_metadata.nested");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("doc_type", "pdf"))))
                .contains("config.doc_type");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("callback_url",
                "ftp://files.example.com/done")))).contains("config.callback_url").contains("http");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("callback_url",
                "http://10.1.2.3/hook")))).contains("config.callback_url").contains("private");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("callback_url",
                "http://169.254.169.254/latest/meta-data")))).contains("link-local");
        assertThat(createRefused(tenant, Map.of("name", "x", "config", Map.of("unknown", true))))
                .contains("config.unknown");
        assertThat(get(tenant, "/api/webhooks", HttpStatus.OK).get("webhooks")).isEmpty();

        String id = create(tenant, Map.of("name", "Valid")).get("id").asText();
        assertThat(update(tenant, id, Map.of("name", " "), HttpStatus.BAD_REQUEST).get("detail").asText())
                .contains("name");
        assertThat(update(tenant, id, Map.of("config", Map.of("callback_url", "http://192.168.1.1/")),
                HttpStatus.BAD_REQUEST).get("detail").asText()).contains("config.callback_url");

        // the inbound URL: unknown token, bad JSON, a non-object
        deliver("http://localhost/api/webhooks/in/whk_" + "A".repeat(43), "{\"content\": \"x\"}",
                HttpStatus.NOT_FOUND);
        deliver("http://localhost/api/webhooks/in/nonsense", "{\"content\": \"x\"}", HttpStatus.NOT_FOUND);
        String url = create(tenant, Map.of("name", "Inbound")).get("webhook_url").asText();
        assertThat(deliver(url, "{not json", HttpStatus.BAD_REQUEST).get("detail").asText()).contains("JSON");
        assertThat(deliver(url, "\"a string\"", HttpStatus.BAD_REQUEST).get("detail").asText())
                .contains("JSON object");
        assertThat(deliver(url, "{\"title\": \"No content\"}", HttpStatus.BAD_REQUEST).get("detail").asText())
                .contains("content");
    }

    @Test
    void theTestEndpointShowsWhatWouldBeIngestedAndStoresNothing() {
        Tenant tenant = signUp();
        String id = create(tenant, Map.of("name", "Dry run", "config", MAPPING_CONFIG)).get("id").asText();

        JsonNode preview = http.post().uri("/api/webhooks/{id}/test", id).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(preview.get("title").asText()).isEqualTo("Test delivery from Dynamic RAG");
        assertThat(preview.get("content_preview").asText()).startsWith("This is a sample document");
        assertThat(preview.get("doc_type").asText()).isEqualTo("md");
        assertThat(preview.get("external_id").asText()).isEqualTo("webhook-test-1");
        assertThat(preview.get("metadata").get("source").asText()).isEqualTo("n8n");
        assertThat(preview.get("metadata").get("webhook_id").asText()).isEqualTo(id);

        JsonNode custom = http.post().uri("/api/webhooks/{id}/test", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"subject\": \"Custom\", \"body\": {\"text\": \"" + "x".repeat(700) + "\"}, \"lang\": \"en\"}")
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(custom.get("title").asText()).isEqualTo("Custom");
        assertThat(custom.get("content_preview").asText()).hasSize(501).endsWith("…");
        assertThat(custom.get("metadata").get("lang").asText()).isEqualTo("en");
        assertThat(custom.get("external_id").isNull()).isTrue();

        http.post().uri("/api/webhooks/{id}/test", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"subject\": \"No body\"}")
                .exchange().expectStatus().isBadRequest();

        assertThat(get(tenant, "/api/documents", HttpStatus.OK).get("total").asInt()).isZero();
        assertThat(get(tenant, "/api/webhooks/" + id, HttpStatus.OK).get("last_triggered_at").isNull()).isTrue();
    }

    @Test
    void theTenantsRateLimitsApplyToItsWebhookUrl() {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("rate_limit_requests_per_minute", 2))
                .exchange().expectStatus().isOk();
        String url = create(tenant, Map.of("name", "Limited")).get("webhook_url").asText();
        // the filter caches a tenant's limits: move its clock past that
        expireCachedRateLimits();
        // the window is a fixed minute: hold the limiter's clock so the three deliveries stay inside one (each may
        // take seconds on a busy machine)
        clock.holdInsideOneMinute();
        String body = "{\"title\": \"T\", \"content\": \"Counted.\"}";
        deliver(url, body, HttpStatus.ACCEPTED);
        deliver(url, body, HttpStatus.ACCEPTED);
        EntityExchangeResult<JsonNode> limited = http.post().uri(URI.create(url).getPath())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists("Retry-After")
                .expectBody(JsonNode.class).returnResult();
        String token = URI.create(url).getPath().substring("/api/webhooks/in/".length());
        assertThat(limited.getResponseBody().get("detail").asText()).contains("POST /api/webhooks/in/{id}")
                .doesNotContain(token);
    }

    @Test
    void aRetriedDeliveryWithTheSameIdempotencyKeyIsIngestedOnce() {
        Tenant tenant = signUp();
        String path = URI.create(create(tenant, Map.of("name", "Idempotent")).get("webhook_url").asText()).getPath();
        String body = "{\"title\": \"Once\", \"content\": \"Only once, however often n8n retries.\"}";
        JsonNode first = http.post().uri(path).header("Idempotency-Key", "n8n-run-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode again = http.post().uri(path).header("Idempotency-Key", "n8n-run-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(again.get("document_id").asText()).isEqualTo(first.get("document_id").asText());
        assertThat(get(tenant, "/api/documents", HttpStatus.OK).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void aSuspendedAccountsWebhookUrlIsRefusedUntilItIsReinstated() {
        Tenant tenant = signUp();
        String url = create(tenant, Map.of("name", "Suspendable")).get("webhook_url").asText();
        String body = "{\"title\": \"T\", \"content\": \"Suspension check.\"}";
        String admin = adminToken();

        http.post().uri("/api/admin/customers/{id}/suspend", tenant.id())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        assertThat(deliver(url, body, HttpStatus.FORBIDDEN).get("detail").asText()).contains("suspended");

        http.post().uri("/api/admin/customers/{id}/unsuspend", tenant.id())
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isOk();
        deliver(url, body, HttpStatus.ACCEPTED);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private JsonNode create(Tenant tenant, Map<String, Object> request) {
        return http.post().uri("/api/webhooks").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange().expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private String createRefused(Tenant tenant, Map<String, Object> request) {
        return http.post().uri("/api/webhooks").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("detail").asText();
    }

    private JsonNode update(Tenant tenant, String id, Map<String, Object> request, HttpStatus expected) {
        return http.put().uri("/api/webhooks/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(new LinkedHashMap<>(request))
                .exchange().expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode get(Tenant tenant, String path, HttpStatus expected) {
        return http.get().uri(path).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** POSTs to a webhook URL (its path on this server) with no credential header at all. */
    private JsonNode deliver(String webhookUrl, String json, HttpStatus expected) {
        var spec = http.post().uri(URI.create(webhookUrl).getPath())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isEqualTo(expected);
        if (expected.isError()) {
            spec.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        return spec.expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
