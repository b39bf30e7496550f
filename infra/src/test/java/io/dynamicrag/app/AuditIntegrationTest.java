package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The event history through the audit API: order, actors, correlation, tenant scoping, paging, bad input. */
class AuditIntegrationTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aDocumentsHistoryListsEveryEventInOrderWithActorAndCorrelation() {
        Tenant owner = signUp();
        Tenant other = signUp();
        String correlation = "audit-" + UUID.randomUUID();
        String id = http.post().uri("/api/ingest/document")
                .header("X-API-Key", owner.apiKey())
                .header("X-Correlation-Id", correlation)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "Audited", "doc_type", "txt",
                        "content", "A document whose whole life is written down for the auditors."))
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("X-Correlation-Id", correlation)
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("document_id").asText();
        assertThat(awaitFinalStatus(owner, id).get("status").asText()).isEqualTo("completed");

        JsonNode history = history(owner, id);
        assertThat(history.get("document_id").asText()).isEqualTo(id);
        assertThat(types(history.get("events"))).containsExactly("DocumentSubmittedEvent", "DocumentParsedEvent",
                "DocumentChunkedEvent", "DocumentEmbeddedEvent", "DocumentIndexedEvent");
        assertThat(history.get("count").asInt()).isEqualTo(5);
        Instant previous = Instant.EPOCH;
        for (int i = 0; i < 5; i++) {
            JsonNode event = history.get("events").get(i);
            assertThat(event.get("sequence_number").asLong()).isEqualTo(i);
            assertThat(event.get("version").asInt()).isEqualTo(1);
            assertThat(event.get("aggregate_id").asText()).isEqualTo(id);
            assertThat(event.get("aggregate_type").asText()).isEqualTo("Document");
            assertThat(event.get("payload").get("tenantId").asText()).isEqualTo(owner.id());
            assertThat(event.get("payload").get("documentId").asText()).isEqualTo(id);
            // the whole pipeline keeps the request's correlation id
            assertThat(event.get("correlation_id").asText()).as("correlation of %s", event).isEqualTo(correlation);
            Instant at = Instant.parse(event.get("occurred_at").asText());
            assertThat(at).isAfterOrEqualTo(previous);
            previous = at;
        }
        // the tenant submitted; the pipeline steps are the system's doing
        assertThat(actors(history.get("events")))
                .containsExactly("tenant:" + owner.id(), "system", "system", "system", "system");
        JsonNode embedded = history.get("events").get(3);
        assertThat(embedded.get("revision").asText()).isEqualTo("4");
        assertThat(embedded.get("payload").get("tokens").asLong()).isPositive();
        assertThat(embedded.get("payload").get("title").asText()).isNotBlank();
        assertThat(embedded.get("payload").get("docType").asText()).isNotBlank();
        assertThat(embedded.get("payload_type").asText())
                .isEqualTo("io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent");

        // another tenant, a malformed id, an unknown id and no credential learn nothing
        http.get().uri("/api/audit/documents/{id}/events", id).header("X-API-Key", other.apiKey())
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/api/audit/documents/{id}/events", UUID.randomUUID()).header("X-API-Key", owner.apiKey())
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/audit/documents/not-a-document/events").header("X-API-Key", owner.apiKey())
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/audit/documents/{id}/events", id).exchange().expectStatus().isUnauthorized();

        // the history outlives the document, and the deletion names who did it
        http.delete().uri("/api/documents/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + owner.token())
                .header("X-Correlation-Id", "delete-" + correlation)
                .exchange().expectStatus().isOk();
        JsonNode after = history(owner, id).get("events");
        assertThat(after).hasSize(6);
        JsonNode deleted = after.get(5);
        assertThat(deleted.get("type").asText()).isEqualTo("DocumentDeletedEvent");
        assertThat(deleted.get("actor").asText()).isEqualTo("tenant:" + owner.id());
        assertThat(deleted.get("correlation_id").asText()).isEqualTo("delete-" + correlation);
        assertThat(deleted.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void theTenantsEventsPageInGlobalOrderAndNeverShowAnotherTenants() {
        Tenant tenant = signUp();
        Tenant other = signUp();
        for (int i = 0; i < 2; i++) {
            String id = ingest(tenant, Map.of("title", "Paged " + i, "doc_type", "txt",
                    "content", "Document number " + i + " of the paging test.")).get("document_id").asText();
            awaitFinalStatus(tenant, id);
        }
        ingest(other, Map.of("title", "Elsewhere", "doc_type", "txt", "content", "Another tenant's document."));
        // an admin action on the tenant shows up in its history with the admin as actor
        String admin = adminToken();
        String adminId = http.get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("customer_id").asText();
        http.post().uri("/api/admin/customers/{id}/suspend", tenant.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange().expectStatus().isOk();
        http.post().uri("/api/admin/customers/{id}/unsuspend", tenant.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange().expectStatus().isOk();

        List<JsonNode> events = new ArrayList<>();
        long after = 0;
        int pages = 0;
        while (true) {
            JsonNode page = http.get().uri("/api/audit/events?after={after}&limit=3", after)
                    .header("X-API-Key", tenant.apiKey())
                    .exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            pages++;
            assertThat(page.get("count").asInt()).isEqualTo(page.get("events").size()).isLessThanOrEqualTo(3);
            page.get("events").forEach(events::add);
            if (!page.get("has_more").asBoolean()) {
                assertThat(page.get("next_cursor").isNull()).isTrue();
                break;
            }
            assertThat(page.get("count").asInt()).isEqualTo(3);
            after = page.get("next_cursor").asLong();
        }

        // usage records (metered asynchronously, API calls every few seconds) are the tenant's events too; the
        // figures below are about the rest, which no background work adds to
        assertThat(events).allSatisfy(e -> assertThat(e.get("payload").get("tenantId").asText()).isEqualTo(tenant.id()));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).get("global_index").asLong())
                    .isGreaterThan(events.get(i - 1).get("global_index").asLong());
        }
        assertThat(pages).isEqualTo((events.size() + 2) / 3);
        events.removeIf(e -> "Usage".equals(e.get("aggregate_type").asText()));
        // what the event store holds for this tenant, read independently of the tenant_id column
        Long stored = jdbc.queryForObject("""
                SELECT COUNT(*) FROM domain_event_entry
                WHERE convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?
                  AND payload_type NOT LIKE '%UsageRecordedEvent'""", Long.class, tenant.id());
        assertThat(events).hasSize(stored.intValue());
        // registration, 2 x 5 pipeline events, suspension, reinstatement
        assertThat(events).hasSize(13);
        assertThat(events.get(0).get("type").asText()).isEqualTo("TenantRegisteredEvent");
        assertThat(events.get(0).get("actor").asText()).isEqualTo("anonymous");
        assertThat(types(events).stream().filter(t -> t.equals("DocumentIndexedEvent"))).hasSize(2);
        JsonNode suspended = events.stream().filter(e -> e.get("type").asText().equals("TenantSuspendedEvent"))
                .findFirst().orElseThrow();
        assertThat(suspended.get("actor").asText()).isEqualTo("admin:" + adminId);
        assertThat(suspended.get("version").isNull()).isTrue();
        assertThat(events.get(12).get("type").asText()).isEqualTo("TenantReinstatedEvent");

        // the last cursor resumes after the newest event: nothing new yet
        JsonNode tail = http.get().uri("/api/audit/events?after={after}", events.get(12).get("global_index").asLong())
                .header("X-API-Key", tenant.apiKey()).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(tail.get("events")).allSatisfy(e -> assertThat(e.get("aggregate_type").asText()).isEqualTo("Usage"));
        if (tail.get("count").asInt() == 0) {
            assertThat(tail.get("resume_after").asLong()).isEqualTo(events.get(12).get("global_index").asLong());
        }
    }

    @Test
    void badPagingParametersAreRefusedWithAProblem() {
        Tenant tenant = signUp();
        for (String query : List.of("limit=0", "limit=501", "after=-1", "limit=many", "after=x")) {
            http.get().uri("/api/audit/events?" + query).header("X-API-Key", tenant.apiKey())
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").isNotEmpty();
        }
        http.get().uri("/api/audit/events").exchange().expectStatus().isUnauthorized();
    }

    private JsonNode history(Tenant tenant, String id) {
        return http.get().uri("/api/audit/documents/{id}/events", id).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static List<String> types(Iterable<JsonNode> events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    private static List<String> actors(Iterable<JsonNode> events) {
        List<String> actors = new ArrayList<>();
        events.forEach(e -> actors.add(e.get("actor").asText()));
        return actors;
    }
}
