package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /search} (hybrid, vector, keyword; filters; history) and {@code POST /search/catalog} through HTTP on
 * the real stack: what a client sees, hit by hit.
 */
class SearchIntegrationTest extends IntegrationTest {

    private static final String ORDER_NUMBER = "ORD-99812-XK";

    /**
     * Short texts, one chunk each. Several hold reference numbers that look like the order number, which is what pulls
     * the embedding of a bare order number towards them and away from the one document that holds it.
     */
    private static final Map<String, String> CORPUS = corpus();

    private static Map<String, String> corpus() {
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("Forklift incident", "Incident report from the Rotterdam warehouse. On Monday night a forklift "
                + "reversed into rack C7 while the night shift was loading pallets. The driver had been on shift for "
                + "eleven hours and the reversing alarm was switched off. Nobody was hurt; the safety officer "
                + "inspected the rack, cleared it the next morning and ordered refresher training for all drivers. "
                + "The pallets belonged to " + ORDER_NUMBER + " and were shipped a day late. Action items: fix the "
                + "alarm, cap night shifts at ten hours, repaint the walkway markings.");
        corpus.put("Refund policy", "Customers who receive a damaged item may send it back within thirty days. "
                + "We reimburse the full purchase price to the original payment card once the parcel arrives.");
        corpus.put("Tracking references", "Every parcel gets a tracking reference such as TRK-55120-QP printed on "
                + "the label. Quote the tracking reference when you contact the courier about a delivery.");
        corpus.put("Invoice numbers", "Invoice numbers look like INV-2024-00731; the finance team quotes them in "
                + "every payment reminder.");
        corpus.put("Serial numbers", "Each espresso machine carries a serial number like SN-77301-BX under the "
                + "drip tray; warranty claims need it.");
        corpus.put("Order numbers", "Every order number starts with ORD, followed by five digits and a two letter "
                + "suffix. Support agents quote it in every email about an order.");
        corpus.put("Booking references", "Room bookings get a reference like BKG-40417-MN; cancel a booking by "
                + "quoting its reference.");
        corpus.put("Purchase orders", "Purchase orders to suppliers are numbered PO-88213-KL and need two "
                + "signatures above 5000 euros.");
        corpus.put("Shipment codes", "Outbound shipments carry a code such as SHP-12077-RT that the carrier scans "
                + "at every depot.");
        corpus.put("Espresso machine", "To descale the espresso machine, fill the tank with the descaling solution, "
                + "run two empty cycles and rinse the tank twice with clean water.");
        corpus.put("Holiday rota", "The holiday rota for December is pinned in the staff kitchen. Swap requests go "
                + "to the shift lead at least a week in advance.");
        corpus.put("Parking", "Staff parking is behind building B. Visitors use the spaces next to reception and "
                + "must sign in at the front desk.");
        corpus.put("Password rules", "Passwords must be at least twelve characters long and are rotated every "
                + "ninety days. Never share a password over chat.");
        corpus.put("Fire drill", "The quarterly fire drill takes place on the first Thursday of the quarter. "
                + "Assemble at the meeting point in the car park and wait for the roll call.");
        corpus.put("Printer", "The third floor printer jams when the paper tray is overfilled. Keep the stack "
                + "below the marker line and fan the sheets before loading them.");
        return corpus;
    }

    @Test
    void hybridFindsAParaphraseAndAnExactRareTokenWhereVectorSearchMissesTheToken() {
        Tenant tenant = fastTenant();
        Map<String, String> ids = ingestAll(tenant, CORPUS, Map.of());

        // the embedding of a bare order number does not bring the one document that holds it to the top
        List<String> vectorTop = documentIds(search(tenant, Map.of("query", ORDER_NUMBER, "top_k", 3,
                "mode", "vector")));
        assertThat(vectorTop).doesNotContain(ids.get("Forklift incident"));
        // BM25 finds it first
        JsonNode keyword = search(tenant, Map.of("query", ORDER_NUMBER, "top_k", 3, "mode", "keyword"));
        assertThat(keyword.get(0).get("document_id").asText()).isEqualTo(ids.get("Forklift incident"));
        assertThat(keyword.get(0).get("text").asText()).contains(ORDER_NUMBER);
        // hybrid is the default mode and brings the exact match into the top 2: only a document both lists rank
        // (the one that explains order numbers) may come before it
        JsonNode hybrid = search(tenant, Map.of("query", ORDER_NUMBER, "top_k", 3));
        assertThat(documentIds(hybrid).subList(0, 2)).contains(ids.get("Forklift incident"));

        // a paraphrase with no word in common with the answer: keyword search cannot find it, vector and hybrid do
        String paraphrase = "cash compensation smashed goods";
        assertThat(documentIds(search(tenant, Map.of("query", paraphrase, "top_k", 3, "mode", "keyword"))))
                .doesNotContain(ids.get("Refund policy"));
        assertThat(search(tenant, Map.of("query", paraphrase, "top_k", 3, "mode", "vector")).get(0)
                .get("document_id").asText()).isEqualTo(ids.get("Refund policy"));
        JsonNode hybridParaphrase = search(tenant, Map.of("query", paraphrase, "top_k", 3, "mode", "hybrid"));
        assertThat(hybridParaphrase.get(0).get("document_id").asText()).isEqualTo(ids.get("Refund policy"));

        // punctuation only is no error, just no keyword match; hybrid then falls back on the vector list
        assertThat(search(tenant, Map.of("query", "?!", "mode", "keyword", "top_k", 5))).isEmpty();
        assertThat(search(tenant, Map.of("query", "?!", "top_k", 5))).hasSize(5);

        // every hit carries the full contract
        JsonNode hit = hybrid.get(documentIds(hybrid).indexOf(ids.get("Forklift incident")));
        assertThat(hit.get("title").asText()).isEqualTo("Forklift incident");
        assertThat(hit.get("version").asInt()).isEqualTo(1);
        assertThat(hit.get("chunk_index").asInt()).isZero();
        assertThat(hit.get("source_url").asText()).isEqualTo("https://wiki.example.com/forklift-incident");
        assertThat(hit.get("score").asDouble()).isPositive();
        // scores fall with the rank
        List<Double> scores = StreamSupport.stream(hybrid.spliterator(), false)
                .map(h -> h.get("score").asDouble()).toList();
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void filtersApplyBeforeTopKSoKMatchingResultsComeBackAmongManyBetterNonMatchingOnes() {
        Tenant tenant = fastTenant();
        // 40 documents that match the query better than the 4 that pass the filters
        Map<String, String> noise = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            noise.put("Coffee note " + i, "Coffee machine cleaning note " + i + ": descale the coffee machine "
                    + "every week and rinse the coffee machine tank.");
        }
        Map<String, String> noiseIds = ingestAll(tenant, noise, Map.of("team", "ops"), "txt");
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            wanted.put("Finance memo " + i, "Memo " + i + " from finance about the coffee budget for the office.");
        }
        Map<String, String> wantedIds = ingestAll(tenant, wanted, Map.of("team", "finance"), "md");

        for (String mode : List.of("hybrid", "vector", "keyword")) {
            // unfiltered, the noise fills the top 4
            assertThat(documentIds(search(tenant, Map.of("query", "coffee machine", "top_k", 4, "mode", mode))))
                    .as(mode).allMatch(noiseIds::containsValue);
            for (Map<String, Object> filters : List.<Map<String, Object>>of(
                    Map.of("doc_type", "md"),
                    Map.of("metadata", Map.of("team", "finance")),
                    Map.of("document_ids", List.copyOf(wantedIds.values())))) {
                List<String> found = documentIds(search(tenant, Map.of("query", "coffee machine", "top_k", 4,
                        "mode", mode, "filters", filters)));
                assertThat(found).as(mode + " " + filters).hasSize(4)
                        .containsExactlyInAnyOrderElementsOf(wantedIds.values());
            }
        }
        // filters combine (AND)
        assertThat(search(tenant, Map.of("query", "coffee", "top_k", 10,
                "filters", Map.of("doc_type", "md", "metadata", Map.of("team", "ops"))))).isEmpty();
        assertThat(documentIds(search(tenant, Map.of("query", "coffee", "top_k", 10,
                "filters", Map.of("doc_type", "md", "document_ids", List.of(wantedIds.get("Finance memo 2")))))))
                .containsExactly(wantedIds.get("Finance memo 2"));
    }

    @Test
    void createdAfterAndCreatedBeforeSplitDocumentsByCreationTime() throws Exception {
        Tenant tenant = fastTenant();
        String early = ingestAll(tenant, Map.of("Early bird", "Notes on the early shift rota for the bakery."),
                Map.of()).get("Early bird");
        // the late document must be created at a later instant than the early one
        OffsetDateTime earlyCreated = OffsetDateTime.parse(document(tenant, early).get("created_at").asText());
        awaitTrue(Duration.ofSeconds(5), () -> OffsetDateTime.now().isAfter(earlyCreated));
        String late = ingestAll(tenant, Map.of("Late owl", "Notes on the late shift rota for the bakery."),
                Map.of()).get("Late owl");
        OffsetDateTime lateCreated = OffsetDateTime.parse(document(tenant, late).get("created_at").asText());
        String cut = lateCreated.toString();

        assertThat(documentIds(search(tenant, Map.of("query", "bakery shift rota", "top_k", 10,
                "filters", Map.of("created_before", cut))))).containsExactly(early);
        assertThat(documentIds(search(tenant, Map.of("query", "bakery shift rota", "top_k", 10,
                "filters", Map.of("created_after", cut))))).containsExactly(late);
        // a date means midnight UTC
        String tomorrow = lateCreated.toLocalDate().plusDays(2).toString();
        assertThat(documentIds(search(tenant, Map.of("query", "bakery shift rota", "top_k", 10,
                "filters", Map.of("created_after", "2000-01-01", "created_before", tomorrow)))))
                .containsExactlyInAnyOrder(early, late);
        assertThat(search(tenant, Map.of("query", "bakery shift rota", "top_k", 10,
                "filters", Map.of("created_before", "2000-01-01")))).isEmpty();
    }

    @Test
    void onlyTheActiveVersionIsSearchedUnlessAsOfVersionAsksForHistory() {
        Tenant tenant = fastTenant();
        String id = ingestVersion(tenant, "The office plants are watered by Marisol on Tuesdays.");
        assertThat(ingestVersion(tenant, "The office plants are watered by Jonathan on Fridays.")).isEqualTo(id);
        awaitActiveVersion(tenant, id, 2);

        for (String mode : List.of("hybrid", "vector", "keyword")) {
            JsonNode current = search(tenant, Map.of("query", "who waters the office plants Marisol", "top_k", 10,
                    "mode", mode));
            assertThat(current).as(mode).isNotEmpty().allSatisfy(hit -> {
                assertThat(hit.get("version").asInt()).isEqualTo(2);
                assertThat(hit.get("text").asText()).doesNotContain("Marisol");
            });
            JsonNode first = search(tenant, Map.of("query", "who waters the office plants Marisol", "top_k", 10,
                    "mode", mode, "as_of_version", 1));
            assertThat(first).as(mode).hasSize(1);
            assertThat(first.get(0).get("version").asInt()).isEqualTo(1);
            assertThat(first.get(0).get("document_id").asText()).isEqualTo(id);
            assertThat(first.get(0).get("text").asText()).contains("Marisol");
        }
        assertThat(search(tenant, Map.of("query", "Marisol", "top_k", 10, "mode", "keyword"))).isEmpty();
        assertThat(search(tenant, Map.of("query", "Jonathan", "top_k", 10, "as_of_version", 2)).get(0)
                .get("text").asText()).contains("Jonathan");
        // a version the document never had
        assertThat(search(tenant, Map.of("query", "office plants", "top_k", 10, "as_of_version", 3))).isEmpty();
        // the catalog describes the active version
        JsonNode catalog = catalog(tenant, Map.of("query", "office plants watering", "top_k", 5));
        assertThat(catalog).hasSize(1);
        assertThat(catalog.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(catalog.get(0).get("summary").asText()).contains("Jonathan");
    }

    @Test
    void deletedDocumentsAreNeverReturned() {
        Tenant tenant = fastTenant();
        Map<String, String> ids = ingestAll(tenant, Map.of(
                "Keep", "The harbour ferry leaves every hour from pier four.",
                "Drop", "The secret launch codename is BLUEHERON-7731 and must not leak."), Map.of());
        http.delete().uri("/api/documents/{id}", ids.get("Drop")).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk();

        for (String mode : List.of("hybrid", "vector", "keyword")) {
            assertThat(documentIds(search(tenant, Map.of("query", "BLUEHERON-7731 launch codename", "top_k", 10,
                    "mode", mode)))).as(mode).doesNotContain(ids.get("Drop"));
            assertThat(documentIds(search(tenant, Map.of("query", "BLUEHERON-7731 launch codename", "top_k", 10,
                    "mode", mode, "as_of_version", 1)))).as(mode).doesNotContain(ids.get("Drop"));
        }
        assertThat(search(tenant, Map.of("query", "launch codename", "top_k", 10,
                "filters", Map.of("document_ids", List.of(ids.get("Drop")))))).isEmpty();
        assertThat(documentIds(catalog(tenant, Map.of("query", "BLUEHERON-7731 launch codename", "top_k", 10))))
                .containsExactly(ids.get("Keep"));
    }

    @Test
    void eachTenantSearchesOnlyItsOwnDocuments() {
        Tenant alice = fastTenant();
        Tenant bob = fastTenant();
        String aliceDoc = ingestAll(alice, Map.of("Alice secret", "Project KESTREL-4410 ships to the Oslo office "
                + "in March."), Map.of("team", "alpha")).get("Alice secret");
        String bobDoc = ingestAll(bob, Map.of("Bob note", "The canteen serves soup on Wednesdays."),
                Map.of("team", "alpha")).get("Bob note");

        for (String mode : List.of("hybrid", "vector", "keyword")) {
            assertThat(documentIds(search(bob, Map.of("query", "Project KESTREL-4410 Oslo", "top_k", 100,
                    "mode", mode)))).as(mode).doesNotContain(aliceDoc);
            assertThat(documentIds(search(bob, Map.of("query", "Project KESTREL-4410 Oslo", "top_k", 100,
                    "mode", mode, "as_of_version", 1)))).as(mode).doesNotContain(aliceDoc);
        }
        // naming the other tenant's document in a filter reaches nothing
        assertThat(search(bob, Map.of("query", "Project KESTREL-4410", "top_k", 10,
                "filters", Map.of("document_ids", List.of(aliceDoc))))).isEmpty();
        assertThat(documentIds(search(bob, Map.of("query", "Project KESTREL-4410", "top_k", 10,
                "filters", Map.of("metadata", Map.of("team", "alpha")))))).containsExactly(bobDoc);
        assertThat(documentIds(catalog(bob, Map.of("query", "Project KESTREL-4410 Oslo", "top_k", 100))))
                .containsExactly(bobDoc);
        assertThat(documentIds(catalog(alice, Map.of("query", "Project KESTREL-4410 Oslo", "top_k", 100))))
                .containsExactly(aliceDoc);
    }

    @Test
    void theCatalogReturnsDocumentsNotChunks() {
        Tenant tenant = fastTenant();
        StringBuilder manual = new StringBuilder("Boiler maintenance manual. ");
        for (int i = 0; i < 12; i++) {
            manual.append("Section ").append(i).append(": bleed the radiators, check the boiler pressure gauge "
                    + "and inspect the flue of the gas boiler for soot before winter. ");
        }
        Map<String, String> ids = ingestAll(tenant, Map.of(
                "Boiler manual", manual.toString(),
                "Boiler invoice", "Invoice for the annual gas boiler service, paid in October.",
                "Garden", "Prune the roses in late winter and mulch the beds in spring."), Map.of());
        assertThat(document(tenant, ids.get("Boiler manual")).get("chunk_count").asInt()).isGreaterThan(1);

        // chunk search returns several chunks of the manual...
        JsonNode chunks = search(tenant, Map.of("query", "gas boiler maintenance", "top_k", 5));
        assertThat(documentIds(chunks).stream().filter(ids.get("Boiler manual")::equals).count()).isGreaterThan(1);
        // ...the catalog each document once, the most relevant first
        JsonNode documents = catalog(tenant, Map.of("query", "gas boiler maintenance", "top_k", 5));
        List<String> found = documentIds(documents);
        assertThat(found).doesNotHaveDuplicates().hasSize(3);
        assertThat(found.subList(0, 2)).containsExactlyInAnyOrder(ids.get("Boiler manual"), ids.get("Boiler invoice"));
        JsonNode manualHit = documents.get(found.indexOf(ids.get("Boiler manual")));
        assertThat(manualHit.get("title").asText()).isEqualTo("Boiler manual");
        assertThat(manualHit.get("doc_type").asText()).isEqualTo("txt");
        assertThat(manualHit.get("version").asInt()).isEqualTo(1);
        assertThat(manualHit.get("source_url").asText()).isEqualTo("https://wiki.example.com/boiler-manual");
        assertThat(manualHit.get("summary").asText()).startsWith("Boiler maintenance manual.")
                .hasSizeBetween(900, 1000);
        assertThat(manualHit.get("score").asDouble()).isPositive();
        // filters apply to the catalog too
        assertThat(documentIds(catalog(tenant, Map.of("query", "gas boiler", "top_k", 5,
                "filters", Map.of("document_ids", List.of(ids.get("Garden")))))))
                .containsExactly(ids.get("Garden"));
    }

    @Test
    void badInputIsA400NamingTheField() {
        expectBadRequest("/search", Map.of("query", "x", "mode", "fuzzy"), "mode");
        expectBadRequest("/search", Map.of("query", "x", "top_k", 0), "top_k");
        expectBadRequest("/search", Map.of("query", "x", "top_k", 101), "top_k");
        expectBadRequest("/search", Map.of("query", " "), "query");
        expectBadRequest("/search", Map.of("query", "x", "as_of_version", 0), "as_of_version");
        expectBadRequest("/search", Map.of("query", "x", "filters", Map.of("created_after", "yesterday")),
                "filters.created_after");
        expectBadRequest("/search", Map.of("query", "x", "filters", Map.of("created_before", "2024-13-45")),
                "filters.created_before");
        expectBadRequest("/search", Map.of("query", "x", "filters",
                Map.of("created_after", "2024-06-01", "created_before", "2024-05-01")), "filters.created_after");
        expectBadRequest("/search", Map.of("query", "x", "filters", Map.of("author", "me")), "filters.author");
        expectBadRequest("/search", Map.of("query", "x", "filters", Map.of("document_ids", List.of("nope"))),
                "filters.document_ids");
        expectBadRequest("/search", Map.of("query", "x", "filters", Map.of("metadata", Map.of("a", List.of(1)))),
                "filters.metadata.a");
        expectBadRequest("/search", Map.of("query", "x", "filters", "everything"), "filters");
        expectBadRequest("/search/catalog", Map.of("query", "x", "top_k", 101), "top_k");
        expectBadRequest("/search/catalog", Map.of("query", "x", "filters", Map.of("colour", "red")),
                "filters.colour");
        // without credentials: 401
        http.post().uri("/search/catalog").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "x")).exchange().expectStatus().isUnauthorized();
    }

    // --- helpers ---

    /** A tenant whose rate limits do not slow a test that ingests dozens of documents. */
    private Tenant fastTenant() {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rate_limit_requests_per_minute", 5000, "rate_limit_requests_per_day", 100000))
                .exchange().expectStatus().isOk();
        return tenant;
    }

    private Map<String, String> ingestAll(Tenant tenant, Map<String, String> texts, Map<String, String> metadata) {
        return ingestAll(tenant, texts, metadata, "txt");
    }

    /** Ingests every (title, text) as one batch and waits until all are processed; title -> document id. */
    private Map<String, String> ingestAll(Tenant tenant, Map<String, String> texts, Map<String, String> metadata,
                                          String docType) {
        List<Map<String, Object>> items = new ArrayList<>();
        texts.forEach((title, text) -> items.add(Map.of("title", title, "content", text, "doc_type", docType,
                "metadata", metadata,
                "source_url", "https://wiki.example.com/" + title.toLowerCase().replace(' ', '-'))));
        JsonNode result = http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(items)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(result.get("accepted").asInt()).isEqualTo(items.size());
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            ids.put((String) items.get(i).get("title"), result.get("results").get(i).get("document_id").asText());
        }
        awaitNothingProcessing(tenant);
        ids.values().forEach(id -> assertThat(document(tenant, id).get("status").asText()).isEqualTo("completed"));
        return ids;
    }

    /** Submits the next version of the tenant's one versioned document and waits for it; returns its id. */
    private String ingestVersion(Tenant tenant, String text) {
        JsonNode accepted = ingest(tenant, Map.of("title", "Plants", "external_id", "plants", "doc_type", "txt",
                "content", text));
        awaitNothingProcessing(tenant);
        return accepted.get("document_id").asText();
    }

    private void awaitActiveVersion(Tenant tenant, String id, int version) {
        awaitValue("version " + version + " of " + id + " active", Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> document(tenant, id).get("active_version").asInt(), active -> active == version);
    }

    private void awaitNothingProcessing(Tenant tenant) {
        awaitValue("no document still processing", Duration.ofSeconds(120), Duration.ofMillis(250),
                () -> get(tenant, "/api/documents?status=processing").get("total").asInt(), total -> total == 0);
    }

    private JsonNode document(Tenant tenant, String id) {
        return get(tenant, "/api/documents/" + id);
    }

    private JsonNode get(Tenant tenant, String uri) {
        return http.get().uri(uri).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode search(Tenant tenant, Map<String, Object> body) {
        return post(tenant, "/search", body);
    }

    private JsonNode catalog(Tenant tenant, Map<String, Object> body) {
        return post(tenant, "/search/catalog", body);
    }

    private JsonNode post(Tenant tenant, String uri, Map<String, Object> body) {
        EntityExchangeResult<JsonNode> result = http.post().uri(uri).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectBody(JsonNode.class).returnResult();
        assertThat(result.getStatus().value()).as("%s %s -> %s", uri, body, result.getResponseBody()).isEqualTo(200);
        return result.getResponseBody().get("results");
    }

    private void expectBadRequest(String uri, Map<String, Object> body, String field) {
        Tenant tenant = signUpOnce();
        JsonNode problem = http.post().uri(uri).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(problem.get("detail").asText()).as("%s %s", uri, body).contains(field);
    }

    private final Map<String, Tenant> tenants = new HashMap<>();

    private Tenant signUpOnce() {
        return tenants.computeIfAbsent("bad-input", k -> signUp());
    }

    private static List<String> documentIds(JsonNode hits) {
        return StreamSupport.stream(hits.spliterator(), false).map(h -> h.get("document_id").asText()).toList();
    }
}
