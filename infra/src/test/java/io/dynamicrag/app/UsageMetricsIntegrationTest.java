package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingests known documents for two tenants, searches and calls the API a known number of times, then checks that
 * every usage, metrics, export and admin figure equals what the documents and the requests add up to, that each
 * tenant sees only its own figures, and that replaying the metering counts nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageMetricsIntegrationTest extends IntegrationTest {

    static final String FORMULA_TITLE = "=SUM(1,2) \"quoted\", title";
    static final String SHORT_TEXT = """
            Lighthouses guided ships along rocky coasts for centuries. Keepers trimmed the wicks every night and
            polished the great lenses until they shone. Today most lights are automatic, but the towers remain.""";
    static final String LONG_TEXT = ("Bees communicate the direction of flowers with a waggle dance. The angle of "
            + "the dance against gravity matches the angle between the sun and the food. Scientists decoded this "
            + "language in the twentieth century and it remains a famous example of animal communication. ").repeat(6)
            + "Résumé: naïve café owners keep hives on rooftops.";
    static final String BOB_TEXT = "Volcanoes form where magma reaches the surface of the earth through vents.";
    static final int ALICE_SEARCHES = 3;
    static final int ALICE_LISTINGS = 4;
    static final BigDecimal PAID_COST = new BigDecimal("0.00123400");
    static final long PAID_TOKENS = 61_700;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CommandGateway commands;
    @Autowired
    EventProcessingConfiguration processing;

    Tenant alice;
    Tenant bob;
    Tenant carol;
    List<JsonNode> aliceDocs;
    JsonNode bobDoc;

    @BeforeAll
    void ingestSearchAndCall() {
        http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        alice = signUp();
        bob = signUp();
        carol = signUp();
        String a1 = ingest(alice, Map.of("title", FORMULA_TITLE, "content", SHORT_TEXT, "doc_type", "md"))
                .get("document_id").asText();
        String a2 = ingest(alice, Map.of("title", "Bees", "content", LONG_TEXT, "doc_type", "txt"))
                .get("document_id").asText();
        String b1 = ingest(bob, Map.of("title", "Volcanoes", "content", BOB_TEXT, "doc_type", "txt"))
                .get("document_id").asText();
        for (String id : List.of(a1, a2)) {
            assertThat(awaitFinalStatus(alice, id).get("status").asText()).isEqualTo("completed");
        }
        assertThat(awaitFinalStatus(bob, b1).get("status").asText()).isEqualTo("completed");
        aliceDocs = List.of(get(alice, "/api/documents/" + a1), get(alice, "/api/documents/" + a2));
        bobDoc = get(bob, "/api/documents/" + b1);

        for (int i = 0; i < ALICE_SEARCHES; i++) {
            search(alice, "how do bees tell each other where flowers are", 3);
        }
        search(bob, "magma", 3);
        for (int i = 0; i < ALICE_LISTINGS; i++) {
            get(alice, "/api/documents?page=1&size=5");
        }
        // The local embedding model is free; a paid model's usage goes through the same command, ledger, event and
        // projection. Carol gets one, so that cost figures and sorting by cost are not all zeros.
        commands.sendAndWait(RecordUsageCommand.measured(TenantId.of(carol.id()), UsageMetric.EMBEDDING_TOKENS,
                PAID_TOKENS, PAID_COST, Map.of("model", "text-embedding-3-small"), Instant.now()));

        awaitUsage(alice, u -> metric(u, "document_processed").get("quantity").asLong() == 2
                && metric(u, "search_query").get("quantity").asLong() == ALICE_SEARCHES
                && metric(u, "embedding_tokens").get("records").asLong() == 2
                && metric(u, "storage_bytes").get("records").asLong() == 2);
        awaitUsage(bob, u -> metric(u, "document_processed").get("quantity").asLong() == 1
                && metric(u, "search_query").get("quantity").asLong() == 1);
        awaitUsage(carol, u -> metric(u, "embedding_tokens").get("quantity").asLong() == PAID_TOKENS);
        awaitApiCalls(alice, "GET /api/documents", ALICE_LISTINGS);
    }

    @Test
    void customerUsageEqualsTheDocumentsAndTheRequests() {
        JsonNode usage = get(alice, "/api/customers/usage");
        assertThat(usage.get("customer_id").asText()).isEqualTo(alice.id());
        assertThat(metric(usage, "embedding_tokens").get("quantity").asLong()).isEqualTo(aliceTokens())
                .isPositive();
        assertThat(decimal(metric(usage, "embedding_tokens").get("cost"))).isEqualByComparingTo(aliceCost());
        assertThat(metric(usage, "storage_bytes").get("quantity").asLong()).isEqualTo(aliceBytes())
                .isEqualTo(utf8(SHORT_TEXT) + utf8(LONG_TEXT));
        assertThat(metric(usage, "document_processed").get("quantity").asLong()).isEqualTo(2);
        assertThat(metric(usage, "search_query").get("quantity").asLong()).isEqualTo(ALICE_SEARCHES);
        assertThat(decimal(usage.get("total_cost"))).isEqualByComparingTo(aliceCost());
        JsonNode documents = usage.get("documents");
        assertThat(documents.get("total_documents").asLong()).isEqualTo(2);
        assertThat(documents.get("completed").asLong()).isEqualTo(2);
        assertThat(documents.get("total_tokens").asLong()).isEqualTo(aliceTokens());
        assertThat(documents.get("total_size").asLong()).isEqualTo(aliceBytes());
        assertThat(documents.get("total_chunks").asLong())
                .isEqualTo(aliceDocs.stream().mapToLong(d -> d.get("chunk_count").asLong()).sum());

        JsonNode carolUsage = get(carol, "/api/customers/usage");
        assertThat(decimal(carolUsage.get("total_cost"))).isEqualByComparingTo(PAID_COST);
        assertThat(metric(carolUsage, "embedding_tokens").get("quantity").asLong()).isEqualTo(PAID_TOKENS);
    }

    @Test
    void eachTenantSeesOnlyItsOwnFigures() {
        JsonNode usage = get(bob, "/api/customers/usage");
        assertThat(usage.get("customer_id").asText()).isEqualTo(bob.id());
        assertThat(metric(usage, "embedding_tokens").get("quantity").asLong())
                .isEqualTo(bobDoc.get("embedding_tokens_used").asLong());
        assertThat(metric(usage, "storage_bytes").get("quantity").asLong()).isEqualTo(utf8(BOB_TEXT));
        assertThat(metric(usage, "document_processed").get("quantity").asLong()).isEqualTo(1);
        assertThat(metric(usage, "search_query").get("quantity").asLong()).isEqualTo(1);
        assertThat(usage.get("documents").get("total_documents").asLong()).isEqualTo(1);

        JsonNode export = get(bob, "/api/metrics/export?format=json");
        assertThat(export.get("customer_id").asText()).isEqualTo(bob.id());
        List<String> aliceIds = aliceDocs.stream().map(d -> d.get("id").asText()).toList();
        for (JsonNode row : export.get("rows")) {
            assertThat(row.get("document_id").isNull() || !aliceIds.contains(row.get("document_id").asText()))
                    .as("bob's export row %s", row).isTrue();
            assertThat(row.path("details").path("endpoint").asText()).isNotEqualTo("GET /api/documents");
        }
        JsonNode tokens = get(bob, "/api/metrics/tokens");
        assertThat(tokens.get("documents")).hasSize(1);
        assertThat(tokens.get("documents").get(0).get("document_id").asText()).isEqualTo(bobDoc.get("id").asText());
        JsonNode limits = get(bob, "/api/metrics/rate-limits");
        for (JsonNode endpoint : limits.get("endpoints")) {
            assertThat(endpoint.get("endpoint").asText()).isNotEqualTo("GET /api/documents");
        }
    }

    @Test
    void apiCallsAreCountedPerEndpointByTheFilter() {
        long listings = 0;
        for (JsonNode row : get(alice, "/api/metrics/export?format=json").get("rows")) {
            if (row.get("metric_type").asText().equals("api_call")
                    && row.path("details").path("endpoint").asText().equals("GET /api/documents")) {
                listings += row.get("metric_value").asLong();
            }
        }
        assertThat(listings).isEqualTo(ALICE_LISTINGS);
        // the last 24 hours hold at least the listings (and every other call of the setup once flushed)
        assertThat(get(alice, "/api/metrics/overview").get("api_calls").asLong())
                .isGreaterThanOrEqualTo(ALICE_LISTINGS);
    }

    @Test
    void overviewDocumentsTokensAndCostsAgreeWithTheDocuments() {
        JsonNode overview = get(alice, "/api/metrics/overview");
        JsonNode documents = overview.get("documents");
        assertThat(documents.get("total_documents").asLong()).isEqualTo(2);
        assertThat(documents.get("completed").asLong()).isEqualTo(2);
        assertThat(documents.get("processing").asLong()).isZero();
        assertThat(documents.get("failed").asLong()).isZero();
        assertThat(documents.get("total_tokens").asLong()).isEqualTo(aliceTokens());
        assertThat(documents.get("total_size").asLong()).isEqualTo(aliceBytes());
        assertThat(decimal(documents.get("total_embedding_cost"))).isEqualByComparingTo(aliceCost());
        assertThat(decimal(overview.get("costs").get("embedding_cost"))).isEqualByComparingTo(aliceCost());
        assertThat(decimal(overview.get("costs").get("total_cost"))).isEqualByComparingTo(aliceCost());
        JsonNode listingDay = find(overview.get("rate_limits"),
                r -> r.get("endpoint").asText().equals("GET /api/documents") && r.get("window").asText().equals("day"));
        assertThat(listingDay.get("request_count").asLong()).isEqualTo(ALICE_LISTINGS);
        assertThat(listingDay.get("limit").asLong()).isEqualTo(10_000);

        JsonNode stats = get(alice, "/api/metrics/documents");
        assertThat(stats.get("total_documents").asLong()).isEqualTo(2);
        assertThat(stats.get("total_characters").asLong())
                .isEqualTo(aliceDocs.stream().mapToLong(d -> d.get("character_count").asLong()).sum());
        JsonNode md = find(stats.get("by_type"), t -> t.get("doc_type").asText().equals("md"));
        assertThat(md.get("documents").asLong()).isEqualTo(1);
        assertThat(md.get("total_size").asLong()).isEqualTo(utf8(SHORT_TEXT));

        JsonNode tokens = get(alice, "/api/metrics/tokens");
        assertThat(tokens.get("total_tokens").asLong()).isEqualTo(aliceTokens());
        assertThat(decimal(tokens.get("total_cost"))).isEqualByComparingTo(aliceCost());
        JsonNode rows = tokens.get("documents");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("embedding_tokens_used").asLong())
                .isGreaterThanOrEqualTo(rows.get(1).get("embedding_tokens_used").asLong());
        for (JsonNode row : rows) {
            JsonNode doc = aliceDocs.stream().filter(d -> d.get("id").asText().equals(row.get("document_id").asText()))
                    .findFirst().orElseThrow();
            assertThat(row.get("embedding_tokens_used").asLong()).isEqualTo(doc.get("embedding_tokens_used").asLong());
            assertThat(row.get("chunk_count").asInt()).isEqualTo(doc.get("chunk_count").asInt());
            assertThat(row.get("title").asText()).isEqualTo(doc.get("title").asText());
        }
        assertThat(get(alice, "/api/metrics/tokens?limit=1").get("documents")).hasSize(1);
    }

    @Test
    void usageOverTimeAndCostBreakdownAddUpForEveryPeriod() {
        String today = LocalDate.now(ZoneOffset.UTC) + "T00:00:00Z";
        JsonNode daily = get(alice, "/api/metrics/usage?period=day");
        assertThat(daily.get("period").asText()).isEqualTo("day");
        assertThat(daily.get("series")).hasSize(30);
        JsonNode bucket = find(daily.get("series"), b -> b.get("period_start").asText().equals(today));
        assertThat(bucket.get("embedding_tokens").asLong()).isEqualTo(aliceTokens());
        assertThat(bucket.get("storage_bytes").asLong()).isEqualTo(aliceBytes());
        assertThat(bucket.get("document_processed").asLong()).isEqualTo(2);
        assertThat(bucket.get("search_query").asLong()).isEqualTo(ALICE_SEARCHES);
        assertThat(bucket.get("api_call").asLong()).isGreaterThanOrEqualTo(ALICE_LISTINGS);
        for (String period : List.of("day", "week", "month")) {
            JsonNode series = get(alice, "/api/metrics/usage?period=" + period);
            long tokens = 0;
            long processed = 0;
            for (JsonNode b : series.get("series")) {
                tokens += b.get("embedding_tokens").asLong();
                processed += b.get("document_processed").asLong();
            }
            assertThat(tokens).as(period).isEqualTo(aliceTokens());
            assertThat(processed).as(period).isEqualTo(2);
            assertThat(metric(series.get("totals"), "embedding_tokens").get("quantity").asLong()).isEqualTo(tokens);

            JsonNode costs = get(alice, "/api/metrics/costs?period=" + period);
            JsonNode embedding = find(costs.get("breakdown"),
                    r -> r.get("metric_type").asText().equals("embedding_tokens"));
            assertThat(embedding.get("total_usage").asLong()).as(period).isEqualTo(aliceTokens());
            assertThat(embedding.get("count").asLong()).isEqualTo(2);
            assertThat(decimal(embedding.get("total_cost"))).isEqualByComparingTo(aliceCost());
            assertThat(find(costs.get("breakdown"), r -> r.get("metric_type").asText().equals("search_query"))
                    .get("total_usage").asLong()).isEqualTo(ALICE_SEARCHES);
        }
        JsonNode carolCosts = get(carol, "/api/metrics/costs?period=month");
        assertThat(decimal(carolCosts.get("total_cost"))).isEqualByComparingTo(PAID_COST);
        assertThat(carolCosts.toString()).contains("\"total_cost\":0.001234");
    }

    @Test
    void rateLimitsShowTheLimitersCurrentWindows() {
        JsonNode limits = get(alice, "/api/metrics/rate-limits");
        assertThat(limits.get("per_minute").asLong()).isEqualTo(60);
        assertThat(limits.get("per_day").asLong()).isEqualTo(10_000);
        JsonNode listing = find(limits.get("endpoints"), e -> e.get("endpoint").asText().equals("GET /api/documents"));
        assertThat(listing.get("day").get("used").asLong()).isEqualTo(ALICE_LISTINGS);
        assertThat(listing.get("day").get("remaining").asLong()).isEqualTo(10_000 - ALICE_LISTINGS);
        assertThat(listing.get("minute").get("limit").asLong()).isEqualTo(60);
        assertThat(listing.get("minute").get("used").asLong()).isBetween(0L, (long) ALICE_LISTINGS);
        JsonNode self = find(limits.get("endpoints"),
                e -> e.get("endpoint").asText().equals("GET /api/metrics/rate-limits"));
        assertThat(self.get("day").get("used").asLong()).isEqualTo(1);
        assertThat(Instant.parse(self.get("day").get("resets_at").asText()))
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @Test
    void csvExportHasAHeaderQuotesTextAndNeutralisesFormulas() throws Exception {
        EntityExchangeResult<byte[]> result = http.get().uri("/api/metrics/export?format=csv")
                .header("X-API-Key", alice.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult();
        HttpHeaders headers = result.getResponseHeaders();
        assertThat(headers.getContentType().toString()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(headers.getContentDisposition().isAttachment()).isTrue();
        assertThat(headers.getContentDisposition().getFilename()).startsWith("usage-").endsWith(".csv");
        String body = new String(result.getResponseBody(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("\uFEFFtimestamp,metric_type,metric_value,cost_usd,document_id,document_title,"
                + "details\r\n");
        // RFC 4180: the title's quotes doubled, the cell quoted because of the comma, the formula neutralised
        assertThat(body).contains(",\"'=SUM(1,2) \"\"quoted\"\", title\",");
        assertThat(body).doesNotContain(",=SUM");

        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body.substring(1)))) {
            records = parser.getRecords();
        }
        JsonNode rows = get(alice, "/api/metrics/export?format=json").get("rows");
        assertThat(records.size()).isGreaterThanOrEqualTo(6).isLessThanOrEqualTo(rows.size());
        long csvTokens = 0;
        long csvBytes = 0;
        for (CSVRecord record : records) {
            switch (record.get("metric_type")) {
                case "embedding_tokens" -> csvTokens += Long.parseLong(record.get("metric_value"));
                case "storage_bytes" -> csvBytes += Long.parseLong(record.get("metric_value"));
                default -> { }
            }
        }
        assertThat(csvTokens).isEqualTo(aliceTokens());
        assertThat(csvBytes).isEqualTo(aliceBytes());
        CSVRecord formula = records.stream().filter(r -> r.get("document_title").startsWith("'=")).findFirst()
                .orElseThrow();
        assertThat(formula.get("document_title")).isEqualTo("'" + FORMULA_TITLE);
        assertThat(formula.get("document_id")).isEqualTo(aliceDocs.get(0).get("id").asText());
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        assertBadParameter("/api/metrics/usage?period=year", "period");
        assertBadParameter("/api/metrics/costs?period=hour", "period");
        assertBadParameter("/api/metrics/export?format=xml", "format");
        assertBadParameter("/api/metrics/export?from=yesterday", "from");
        assertBadParameter("/api/metrics/export?from=2026-11-10&to=2026-11-01", "from");
        assertBadParameter("/api/metrics/tokens?limit=0", "limit");
        assertBadParameter("/api/metrics/usage?period=day&from=2000-01-01", "from");
    }

    @Test
    void adminsListSortAndPageCustomersAndTenantsGet403() {
        for (String path : List.of("/api/admin/customers", "/api/admin/metrics/global",
                "/api/admin/customers/" + alice.id() + "/usage")) {
            http.get().uri(path).header("X-API-Key", alice.apiKey()).exchange().expectStatus().isForbidden();
        }
        String admin = adminToken();
        JsonNode byDocuments = admin(admin, "/api/admin/customers?sort=documents&limit=2&page=1");
        assertThat(byDocuments.get("total").asLong()).isEqualTo(4); // the admin, alice, bob, carol
        assertThat(ids(byDocuments)).containsExactly(alice.id(), bob.id());
        assertThat(byDocuments.get("customers").get(0).get("total_documents").asLong()).isEqualTo(2);
        assertThat(byDocuments.get("customers").get(0).get("total_tokens").asLong()).isEqualTo(aliceTokens());
        JsonNode secondPage = admin(admin, "/api/admin/customers?sort=documents&limit=2&page=2");
        assertThat(secondPage.get("customers")).hasSize(2);
        assertThat(ids(secondPage)).doesNotContain(alice.id(), bob.id());

        JsonNode byTokens = admin(admin, "/api/admin/customers?sort=tokens&limit=3");
        List<String> expectedByTokens = aliceTokens() >= bobDoc.get("embedding_tokens_used").asLong()
                ? List.of(carol.id(), alice.id(), bob.id()) : List.of(carol.id(), bob.id(), alice.id());
        assertThat(ids(byTokens)).containsExactlyElementsOf(expectedByTokens);

        JsonNode byCost = admin(admin, "/api/admin/customers?sort=cost&order=desc&limit=1");
        assertThat(ids(byCost)).containsExactly(carol.id());
        assertThat(decimal(byCost.get("customers").get(0).get("total_cost"))).isEqualByComparingTo(PAID_COST);
        JsonNode ascending = admin(admin, "/api/admin/customers?sort=documents&order=asc&limit=4");
        assertThat(ids(ascending).subList(2, 4)).containsExactly(bob.id(), alice.id());

        http.get().uri("/api/admin/customers?sort=name").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.parameter").isEqualTo("sort");
        http.get().uri("/api/admin/customers?limit=1000").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.parameter").isEqualTo("limit");

        JsonNode detail = admin(admin, "/api/admin/customers/" + alice.id() + "/usage");
        assertThat(detail.get("customer").get("email").asText()).isEqualTo(alice.email());
        JsonNode own = get(alice, "/api/customers/usage");
        for (String metric : List.of("embedding_tokens", "storage_bytes", "document_processed", "search_query")) {
            assertThat(metric(detail.get("usage"), metric)).isEqualTo(metric(own, metric));
        }
        http.get().uri("/api/admin/customers/" + java.util.UUID.randomUUID() + "/usage")
                .header("Authorization", "Bearer " + admin).exchange().expectStatus().isNotFound();

        JsonNode global = admin(admin, "/api/admin/metrics/global");
        JsonNode system = global.get("system_stats");
        assertThat(system.get("total_customers").asLong()).isEqualTo(4);
        assertThat(system.get("total_documents").asLong()).isEqualTo(3);
        assertThat(system.get("total_tokens").asLong())
                .isEqualTo(aliceTokens() + bobDoc.get("embedding_tokens_used").asLong());
        assertThat(global.get("top_users").get(0).get("embedding_tokens_used").asLong())
                .isEqualTo(aliceDocs.stream().mapToLong(d -> d.get("embedding_tokens_used").asLong()).max()
                        .orElseThrow());
        assertThat(global.get("top_customers").get(0).get("customer_id").asText()).isEqualTo(carol.id());
        assertThat(metric(global.get("usage_this_month"), "document_processed").get("quantity").asLong())
                .isEqualTo(3);
    }

    /** Replaying the metering processor from the start sends every derived record again; the ledger drops them. */
    @Test
    void replayingTheMeteringCountsNothingTwice() throws Exception {
        String derived = "SELECT COUNT(*) FROM usage_metrics WHERE metric_type <> 'api_call' "
                + "AND metric_type <> 'search_query'";
        Long before = jdbc.queryForObject(derived, Long.class);
        JsonNode usageBefore = get(alice, "/api/customers/usage");
        StreamingEventProcessor metering = processing.eventProcessor("usage-metering", StreamingEventProcessor.class)
                .orElseThrow();
        metering.shutDown();
        metering.resetTokens();
        metering.start();
        awaitTrue(Duration.ofSeconds(60), () -> !metering.processingStatus().isEmpty()
                && metering.processingStatus().values().stream().noneMatch(s -> s.isReplaying() || !s.isCaughtUp()));
        // the projection is a second tracking processor: wait until it has read every event the replay could add
        long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry", Long.class);
        StreamingEventProcessor projection = processing.eventProcessor("usage-projection",
                StreamingEventProcessor.class).orElseThrow();
        awaitTrue(Duration.ofSeconds(60), () -> !projection.processingStatus().isEmpty()
                && projection.processingStatus().values().stream()
                .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head));
        assertThat(jdbc.queryForObject(derived, Long.class)).isEqualTo(before);
        JsonNode usageAfter = get(alice, "/api/customers/usage");
        for (String metric : List.of("embedding_tokens", "storage_bytes", "document_processed")) {
            assertThat(metric(usageAfter, metric)).isEqualTo(metric(usageBefore, metric));
        }
    }

    private void assertBadParameter(String path, String parameter) {
        http.get().uri(path).header("X-API-Key", alice.apiKey()).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith("application/problem+json")
                .expectBody()
                .jsonPath("$.parameter").isEqualTo(parameter)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith(parameter));
    }

    private long aliceTokens() {
        return aliceDocs.stream().mapToLong(d -> d.get("embedding_tokens_used").asLong()).sum();
    }

    private BigDecimal aliceCost() {
        return aliceDocs.stream().map(d -> decimal(d.get("embedding_cost_usd"))).reduce(BigDecimal.ZERO,
                BigDecimal::add);
    }

    private long aliceBytes() {
        return aliceDocs.stream().mapToLong(d -> d.get("file_size_bytes").asLong()).sum();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static BigDecimal decimal(JsonNode node) {
        return new BigDecimal(node.asText());
    }

    private static JsonNode metric(JsonNode usage, String type) {
        JsonNode metrics = usage.has("metrics") ? usage.get("metrics") : usage;
        return find(metrics, m -> m.get("metric_type").asText().equals(type));
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> match) {
        List<JsonNode> found = new ArrayList<>();
        array.forEach(node -> {
            if (match.test(node)) {
                found.add(node);
            }
        });
        assertThat(found).as("one match in %s", array).hasSize(1);
        return found.get(0);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("customers").forEach(c -> ids.add(c.get("customer_id").asText()));
        return ids;
    }

    private JsonNode get(Tenant tenant, String path) {
        return http.get().uri(path).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode admin(String token, String path) {
        return http.get().uri(path).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Polls the tenant's usage once a second (well inside the rate limit) until it matches, for 60 s at most. */
    private void awaitUsage(Tenant tenant, Predicate<JsonNode> done) {
        awaitValue("usage of " + tenant.email() + " reached", Duration.ofSeconds(60), Duration.ofSeconds(1),
                () -> get(tenant, "/api/customers/usage"), done);
    }

    /** API calls are flushed every few seconds: wait until the endpoint's count is in the read model. */
    private void awaitApiCalls(Tenant tenant, String endpoint, long expected) {
        awaitValue(expected + " calls of " + endpoint + " recorded", Duration.ofSeconds(60), Duration.ofSeconds(1),
                () -> jdbc.queryForObject("SELECT COALESCE(SUM(metric_value), 0) FROM usage_metrics "
                        + "WHERE customer_id = ?::uuid AND metric_type = 'api_call' AND metadata->>'endpoint' = ?",
                        Long.class, tenant.id(), endpoint), calls -> calls != null && calls >= expected);
    }

}
