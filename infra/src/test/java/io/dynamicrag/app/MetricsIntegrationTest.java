package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrometheusText;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What Prometheus scrapes, checked by figures: the counters move by exactly what the test did. The meter registry
 * lives as long as the (shared) test context, so every check compares a scrape after with one before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIntegrationTest extends IntegrationTest {

    private static final List<String> STAGES = List.of("parse", "chunk", "embed", "index");

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    @Order(1)
    void onlyHealthAndPrometheusAreOpenAndNoOtherActuatorEndpointIsExposed() {
        http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN);
        String admin = adminToken();
        for (String endpoint : List.of("/actuator", "/actuator/env", "/actuator/metrics", "/actuator/beans",
                "/actuator/configprops", "/actuator/heapdump", "/actuator/loggers")) {
            http.get().uri(endpoint).exchange().expectStatus().isUnauthorized();
            var answer = http.get().uri(endpoint).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                    .exchange().expectBody(String.class).returnResult();
            assertThat(answer.getStatus().value()).as(endpoint).isEqualTo(404);
        }
    }

    @Test
    @Order(2)
    void pipelineEmbeddingAndDocumentFiguresFollowTwoIngestedDocuments() {
        Tenant tenant = signUp();
        PrometheusText before = awaitScrape(scrape -> true);

        String first = ingest(tenant, Map.of("title", "Metered one", "doc_type", "txt",
                "content", "Prometheus counts the tokens of this first document.")).get("document_id").asText();
        String second = ingest(tenant, Map.of("title", "Metered two", "doc_type", "txt",
                "content", "And the tokens of this second, slightly longer document about metrics.")).get("document_id")
                .asText();
        assertThat(awaitFinalStatus(tenant, first).get("status").asText()).isEqualTo("completed");
        assertThat(awaitFinalStatus(tenant, second).get("status").asText()).isEqualTo("completed");
        JsonNode one = details(tenant, first);
        JsonNode two = details(tenant, second);
        long tokens = one.get("embedding_tokens_used").asLong() + two.get("embedding_tokens_used").asLong();
        BigDecimal cost = new BigDecimal(one.get("embedding_cost_usd").asText())
                .add(new BigDecimal(two.get("embedding_cost_usd").asText()));
        assertThat(tokens).isPositive();

        // the metrics processor runs behind the pipeline: wait until it has seen both indexings
        PrometheusText after = awaitScrape(scrape -> delta(before, scrape, "rag_pipeline_stage_duration_seconds_count",
                Map.of("stage", "index")) >= 2);
        for (String stage : STAGES) {
            assertThat(delta(before, after, "rag_pipeline_stage_duration_seconds_count", Map.of("stage", stage)))
                    .as("documents timed in stage %s", stage).isEqualTo(2);
            assertThat(delta(before, after, "rag_pipeline_stage_duration_seconds_sum", Map.of("stage", stage)))
                    .as("seconds spent in stage %s", stage).isPositive();
        }
        assertThat(delta(before, after, "rag_pipeline_document_duration_seconds_count", Map.of())).isEqualTo(2);
        // parse, chunk and embed are stored together: each event carries its step's own run time for the timers
        List<String> timed = jdbc.queryForList("""
                SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?
                  AND (convert_from(meta_data, 'UTF8')::jsonb ->> 'step_duration_us')::bigint >= 0
                ORDER BY sequence_number""", String.class, first);
        assertThat(timed).extracting(type -> type.substring(type.lastIndexOf('.') + 1))
                .containsExactly("DocumentParsedEvent", "DocumentChunkedEvent", "DocumentEmbeddedEvent");
        assertThat(after.has("rag_pipeline_stage_duration_seconds_bucket", Map.of("stage", "embed"))).isTrue();
        for (String stage : STAGES) {
            assertThat(delta(before, after, "rag_pipeline_failures_total", Map.of("stage", stage))).isZero();
            assertThat(after.has("rag_pipeline_failures_total", Map.of("stage", stage))).isTrue();
        }
        String model = "all-minilm-l6-v2";
        assertThat(delta(before, after, "rag_embedding_tokens_total", Map.of("model", model))).isEqualTo(tokens);
        assertThat(delta(before, after, "rag_embedding_cost_usd_total", Map.of("model", model)))
                .isCloseTo(cost.doubleValue(), within(1e-9));

        // documents per status equal the read model (all tenants), and the projections have caught up
        Long completed = jdbc.queryForObject("SELECT COUNT(*) FROM documents WHERE status = 'completed'", Long.class);
        PrometheusText settled = awaitScrape(scrape ->
                scrape.sum("rag_documents", Map.of("status", "completed")) == completed
                        && scrape.sum("rag_event_processor_lag", Map.of("processor", "document-projection")) == 0);
        assertThat(settled.sum("rag_documents", Map.of("status", "processing"))).isEqualTo(jdbc.queryForObject(
                "SELECT COUNT(*) FROM documents WHERE status = 'processing'", Long.class).doubleValue());
        assertThat(settled.sum("rag_dead_letters", Map.of("processor", "document-projection"))).isZero();
        assertThat(settled.sum("rag_event_store_head")).isEqualTo(
                jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class).doubleValue());
        // HTTP server timings, tagged by route template (never by document id)
        assertThat(delta(before, settled, "http_server_requests_seconds_count",
                Map.of("uri", "/api/ingest/document", "method", "POST", "status", "202"))).isEqualTo(2);
        assertThat(settled.has("http_server_requests_seconds_count",
                Map.of("uri", "/api/documents/{id}/status"))).isTrue();
    }

    /** Last: by now every meter the dashboard and the alerts use has been created. */
    @Test
    @Order(3)
    void rateLimitRejectionsAreCountedPerEndpointAndTheDashboardUsesOnlyExportedNames() throws Exception {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rate_limit_requests_per_minute", 3))
                .exchange().expectStatus().isOk();
        // the filter caches a tenant's limits: move its clock past that; and hold the limiter's clock inside one
        // minute, so the burst cannot straddle two windows
        expireCachedRateLimits();
        clock.holdInsideOneMinute();
        PrometheusText before = awaitScrape(scrape -> true);
        int rejected = 0;
        for (int i = 0; i < 5; i++) {
            int status = http.get().uri("/api/audit/events").header("X-API-Key", tenant.apiKey())
                    .exchange().expectBody(String.class).returnResult().getStatus().value();
            if (status == HttpStatus.TOO_MANY_REQUESTS.value()) {
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(2);
        PrometheusText after = awaitScrape(scrape -> true);
        assertThat(delta(before, after, "rag_rate_limit_rejections_total",
                Map.of("endpoint", "GET /api/audit/events"))).isEqualTo(2);
        // no tag carries a credential
        String text = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(text).doesNotContain(tenant.apiKey()).doesNotContain(tenant.id());

        // the Grafana dashboard and the alert rules shipped in infra/ query only names this service exports
        PrometheusText exported = new PrometheusText(text);
        for (String file : List.of("grafana/dynamic-rag-dashboard.json", "prometheus/alerts.yml")) {
            Matcher names = METRIC_NAME.matcher(Files.readString(Path.of(file)));
            int found = 0;
            while (names.find()) {
                found++;
                assertThat(exported.has(names.group(1), Map.of())).as("%s uses %s", file, names.group(1)).isTrue();
            }
            assertThat(found).as("metric names in %s", file).isGreaterThan(3);
        }
    }

    private static final Pattern METRIC_NAME =
            Pattern.compile("\\b((?:rag|http_server_requests)_[a-z_]+)\\b");

    private JsonNode details(Tenant tenant, String id) {
        return http.get().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private PrometheusText awaitScrape(Predicate<PrometheusText> ready) {
        return awaitValue("metrics reach the expected figures", Duration.ofSeconds(60), Duration.ofMillis(500),
                () -> new PrometheusText(http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody()), ready);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
