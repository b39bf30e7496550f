package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event the document projection cannot apply is parked in the dead-letter queue with the rest of its document's
 * events, other documents keep flowing, Prometheus and the admin API count the letters, and processing them once
 * the cause is gone brings the document into the read model.
 */
class DeadLetterIntegrationTest extends IntegrationTest {

    private static final String POISON = "Poison pill " + java.util.UUID.randomUUID();

    @Autowired
    private JdbcTemplate jdbc;

    @AfterEach
    void removeThePoison() {
        jdbc.execute("ALTER TABLE documents DROP CONSTRAINT IF EXISTS refuse_poison");
    }

    @Test
    void aDocumentTheProjectionCannotApplyWaitsInTheDeadLetterQueueUntilProcessed() {
        // the read model refuses this one title: a stand-in for any failure of the projection
        jdbc.execute("ALTER TABLE documents ADD CONSTRAINT refuse_poison CHECK (title <> '" + POISON + "')");
        Tenant tenant = signUp();
        String admin = adminToken();
        String poisoned = ingest(tenant, Map.of("title", POISON, "doc_type", "txt",
                "content", "The read model will not take this document at first.")).get("document_id").asText();
        String healthy = ingest(tenant, Map.of("title", "Healthy", "doc_type", "txt",
                "content", "This document is not held up by the other one.")).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, healthy).get("status").asText()).isEqualTo("completed");

        // the pipeline still runs (the event store has all five events) but the read model has none of them
        awaitTrue(Duration.ofSeconds(60), () -> http.get().uri("/api/audit/documents/{id}/events", poisoned).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("count").asInt() == 5);
        PrometheusText parked = awaitScrape(scrape ->
                scrape.sum("rag_dead_letters", Map.of("processor", "document-projection")) == 5);
        assertThat(parked.sum("rag_dead_letters", Map.of("processor", "document-projection"))).isEqualTo(5);
        assertThat(projection(admin).get("dead_letters").asLong()).isEqualTo(5);
        http.get().uri("/api/documents/{id}", poisoned).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isNotFound();

        // the cause is fixed; the operator has the letters processed: one sequence (the document), all five events
        removeThePoison();
        JsonNode run = http.post().uri("/api/admin/projections/document-projection/dead-letters/process")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(run.get("sequences_processed").asInt()).isEqualTo(1);
        assertThat(run.get("remaining").asLong()).isZero();
        JsonNode document = http.get().uri("/api/documents/{id}", poisoned).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(document.get("status").asText()).isEqualTo("completed");
        assertThat(document.get("active_version").asInt()).isEqualTo(1);
        assertThat(document.get("chunk_count").asInt()).isPositive();
        awaitScrape(scrape -> scrape.sum("rag_dead_letters", Map.of("processor", "document-projection")) == 0);
    }

    private JsonNode projection(String admin) {
        return http.get().uri("/api/admin/projections/document-projection")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private PrometheusText awaitScrape(Predicate<PrometheusText> ready) {
        PrometheusText[] last = new PrometheusText[1];
        awaitTrue(Duration.ofSeconds(60), () -> {
            last[0] = new PrometheusText(http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());
            return ready.test(last[0]);
        });
        return last[0];
    }

}
