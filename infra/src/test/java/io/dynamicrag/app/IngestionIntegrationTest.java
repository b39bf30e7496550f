package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.TestDocuments;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantChunkIndex;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every ingestion path and format, versions, deletes and bad input, through HTTP on PostgreSQL, Redis and S3. */
class IngestionIntegrationTest extends IntegrationTest {

    private static HttpServer pages;

    @Autowired
    private TenantChunkIndex index;

    @Autowired
    private BlobStore blobs;

    @Autowired
    private EventProcessingConfiguration processing;

    @BeforeAll
    static void startPageServer() throws Exception {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/article", exchange -> {
            byte[] body = ("""
                    <html><head><title>Tide tables explained</title></head><body>
                    <nav><a href="/">Home</a> <a href="/shop">Shop our mugs</a></nav>
                    <div class="cookie-banner">We use cookies to track you.</div>
                    <main><h1>Tide tables explained</h1>
                    <p>Spring tides happen at new and full moon, when the sun and moon pull in the same direction.</p>
                    <p>Neap tides come at the quarter moons and have the smallest range.</p></main>
                    <footer>Copyright Harbour Office. Unsubscribe from the newsletter.</footer>
                    </body></html>""").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.createContext("/to-metadata", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        pages.start();
    }

    @AfterAll
    static void stopPageServer() {
        pages.stop(0);
    }

    private static String page(String path) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + path;
    }

    @Test
    void sameIdentityMakesVersionsAndDuplicatesAndOnlyTheActiveVersionIsSearched() {
        Tenant tenant = signUp();
        JsonNode first = ingest(tenant, Map.of("title", "Handbook", "external_id", "hb-1", "doc_type", "txt",
                "content", "Our office plants are watered by Mira every Tuesday morning."));
        String id = first.get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");

        JsonNode duplicate = ingest(tenant, Map.of("title", "Handbook", "external_id", "hb-1", "doc_type", "txt",
                "content", "Our office plants are watered by Mira every Tuesday morning."));
        assertThat(duplicate.get("document_id").asText()).isEqualTo(id);
        assertThat(duplicate.get("version").asInt()).isEqualTo(1);
        assertThat(duplicate.get("status").asText()).isEqualTo("duplicate");

        JsonNode second = ingest(tenant, Map.of("title", "Handbook", "external_id", "hb-1", "doc_type", "txt",
                "content", "Since March the cactus collection is looked after by the facilities team."));
        assertThat(second.get("document_id").asText()).isEqualTo(id);
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(awaitFinalStatus(tenant, id).get("version").asInt()).isEqualTo(2);

        JsonNode versions = get(tenant, "/api/documents/" + id + "/versions").get("versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(0).get("is_active").asBoolean()).isTrue();
        assertThat(versions.get(1).get("is_active").asBoolean()).isFalse();
        assertThat(versions.get(1).get("status").asText()).isEqualTo("completed");
        assertThat(get(tenant, "/api/documents/" + id).get("active_version").asInt()).isEqualTo(2);

        // the superseded text is gone from search, and its vectors from the tenant's dataset
        long activeChunks = get(tenant, "/api/documents/" + id).get("chunk_count").asLong();
        awaitTrue(Duration.ofSeconds(30), () -> index.countChunks(IndexSpace.initial(TenantId.of(tenant.id())), DocumentId.of(id)) == activeChunks);
        for (JsonNode hit : search(tenant, "who waters the office plants on Tuesday", 50).get("results")) {
            assertThat(hit.get("version").asInt()).isEqualTo(2);
            assertThat(hit.get("text").asText()).doesNotContain("Mira");
        }
        assertThat(search(tenant, "cactus collection facilities team", 3).get("results").get(0)
                .get("document_id").asText()).isEqualTo(id);

        // source_url is the identity when there is no external_id
        String url = "https://intranet.example.com/Policies/";
        String byUrl = ingest(tenant, Map.of("title", "Policy", "source_url", url, "doc_type", "txt",
                "content", "Remote work is allowed two days a week.")).get("document_id").asText();
        JsonNode again = ingest(tenant, Map.of("title", "Policy", "source_url", "https://INTRANET.example.com/Policies",
                "doc_type", "txt", "content", "Remote work is allowed three days a week."));
        assertThat(again.get("document_id").asText()).isEqualTo(byUrl);
        assertThat(again.get("version").asInt()).isEqualTo(2);
        // no identity: always a new document
        String a = ingest(tenant, Map.of("title", "Note", "doc_type", "txt", "content", "same"))
                .get("document_id").asText();
        String b = ingest(tenant, Map.of("title", "Note", "doc_type", "txt", "content", "same"))
                .get("document_id").asText();
        assertThat(a).isNotEqualTo(b);
    }

    /**
     * The 202 does not wait for the streaming document projection: the submission's rows commit with the command
     * (document-intake). With that projection stopped, a new document and a new version are still readable at once.
     */
    @Test
    void anAcceptedDocumentOrVersionIsReadableAtOnceWhileTheDocumentProjectionIsStopped() {
        Tenant tenant = signUp();
        String id = ingest(tenant, Map.of("title", "Roster", "external_id", "roster-1", "doc_type", "txt",
                "content", "The night shift starts at ten.")).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        StreamingEventProcessor projection = processing.eventProcessor("document-projection",
                StreamingEventProcessor.class).orElseThrow();
        projection.shutDown();
        try {
            JsonNode fresh = ingest(tenant, Map.of("title", "Menu", "doc_type", "txt",
                    "content", "Soup of the day: lentils."));
            JsonNode status = get(tenant, "/api/documents/" + fresh.get("document_id").asText() + "/status");
            assertThat(status.get("status").asText()).isEqualTo("processing");
            assertThat(status.get("version").asInt()).isEqualTo(1);

            JsonNode second = ingest(tenant, Map.of("title", "Roster", "external_id", "roster-1", "doc_type", "txt",
                    "content", "From May the night shift starts at eleven."));
            assertThat(second.get("version").asInt()).isEqualTo(2);
            JsonNode document = get(tenant, "/api/documents/" + id);
            assertThat(document.get("version").asInt()).isEqualTo(2);
            assertThat(document.get("status").asText()).isEqualTo("processing");
            assertThat(get(tenant, "/api/documents/" + id + "/versions").get("versions")).hasSize(2);
            assertThat(get(tenant, "/api/documents?size=10").get("total").asInt()).isEqualTo(2);
        } finally {
            projection.start();
        }
        // the projection, started again, applies the submissions a second time (no change) and the rest as before
        JsonNode done = awaitFinalStatus(tenant, id);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("version").asInt()).isEqualTo(2);
    }

    @Test
    void putMakesANewVersionOrReprocessesAndDeleteRemovesEverything() {
        Tenant tenant = signUp();
        String id = ingest(tenant, Map.of("title", "Runbook", "doc_type", "md",
                "content", "# Restart\nRun the blue-green switch before midnight.")).get("document_id").asText();
        awaitFinalStatus(tenant, id);

        JsonNode updated = http.put().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "# Restart\nCall the on-call engineer first, then flip the switch."))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(updated.get("version").asInt()).isEqualTo(2);
        JsonNode status = awaitFinalStatus(tenant, id);
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(get(tenant, "/api/documents/" + id).get("title").asText()).isEqualTo("Runbook");

        JsonNode reprocessed = http.put().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reprocess", true))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(reprocessed.get("version").asInt()).isEqualTo(2);
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        http.put().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isBadRequest();

        TenantId tenantId = TenantId.of(tenant.id());
        DocumentId documentId = DocumentId.of(id);
        String rawPrefix = BlobKeys.documentPrefix(tenantId, documentId);
        assertThat(index.countChunks(IndexSpace.initial(tenantId), documentId)).isPositive();

        http.delete().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("deleted");
        http.get().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/documents/{id}/versions", id).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isNotFound();
        assertThat(search(tenant, "on-call engineer flip the switch", 10).get("results")).isEmpty();
        awaitTrue(Duration.ofSeconds(30), () -> index.countChunks(IndexSpace.initial(tenantId), documentId) == 0);
        awaitTrue(Duration.ofSeconds(30), () -> blobs.deletePrefix(rawPrefix) == 0);
        http.delete().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isNotFound();
        http.put().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reprocess", true)).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void deletingWhileProcessingLeavesNoOrphanedVectors() {
        Tenant tenant = signUp();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("Paragraph ").append(i).append(" about ship maintenance schedules and hull inspections. ");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(ingest(tenant, Map.of("title", "Ship " + i, "doc_type", "txt", "content", text + " #" + i))
                    .get("document_id").asText());
        }
        for (String id : ids) {
            http.delete().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey()).exchange()
                    .expectStatus().isOk();
        }
        TenantId tenantId = TenantId.of(tenant.id());
        for (String id : ids) {
            awaitTrue(Duration.ofSeconds(30), () -> index.countChunks(IndexSpace.initial(tenantId), DocumentId.of(id)) == 0);
        }
        // and they stay gone while the pipeline finishes whatever was in flight
        org.awaitility.Awaitility.await("no chunk of a deleted document comes back").during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().allMatch(id ->
                        index.countChunks(IndexSpace.initial(tenantId), DocumentId.of(id)) == 0));
        assertThat(search(tenant, "hull inspections", 20).get("results")).isEmpty();
    }

    @Test
    void filesOfEachFormatAreReadWithPageCounts() {
        Tenant tenant = signUp();
        put(tenant, Map.of("allowed_document_types", List.of("pdf", "docx", "txt", "md", "html")));
        JsonNode pdf = upload(tenant, "report.pdf", "application/pdf",
                TestDocuments.pdf("Quarterly revenue rose by eleven percent.", "Churn fell to two percent."),
                Map.of("title", "Q3 report", "external_id", "q3", "metadata", "{\"quarter\":\"Q3\"}"),
                HttpStatus.ACCEPTED);
        String pdfId = pdf.get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, pdfId).get("status").asText()).isEqualTo("completed");
        JsonNode details = get(tenant, "/api/documents/" + pdfId);
        assertThat(details.get("page_count").asInt()).isEqualTo(2);
        assertThat(details.get("doc_type").asText()).isEqualTo("pdf");
        assertThat(details.get("title").asText()).isEqualTo("Q3 report");
        assertThat(details.get("metadata").get("quarter").asText()).isEqualTo("Q3");
        assertThat(details.get("metadata").get("filename").asText()).isEqualTo("report.pdf");

        String docxId = upload(tenant, "minutes.docx", "application/octet-stream",
                TestDocuments.docx("The board approved the new warehouse in Rotterdam."), Map.of(),
                HttpStatus.ACCEPTED).get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, docxId).get("status").asText()).isEqualTo("completed");
        assertThat(get(tenant, "/api/documents/" + docxId).get("title").asText()).isEqualTo("minutes");

        String html = upload(tenant, "page.html", "text/html",
                "<html><body><p>Ferries leave the harbour every hour.</p></body></html>".getBytes(),
                Map.of(), HttpStatus.ACCEPTED).get("document_id").asText();
        String md = upload(tenant, "notes.md", "text/markdown",
                "# Notes\nThe lighthouse keeper retired in 1998.".getBytes(), Map.of(), HttpStatus.ACCEPTED)
                .get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, html).get("status").asText()).isEqualTo("completed");
        assertThat(awaitFinalStatus(tenant, md).get("status").asText()).isEqualTo("completed");
        assertThat(get(tenant, "/api/documents/" + md).get("doc_type").asText()).isEqualTo("md");

        assertThat(search(tenant, "Did revenue grow last quarter?", 3).get("results").get(0).get("document_id")
                .asText()).isEqualTo(pdfId);
        assertThat(search(tenant, "new warehouse approved by the board", 3).get("results").get(0)
                .get("document_id").asText()).isEqualTo(docxId);

        // the name is only shown, never used as a path
        String traversal = upload(tenant, "../../etc/passwd.txt", "text/plain", "harmless text".getBytes(),
                Map.of(), HttpStatus.ACCEPTED).get("document_id").asText();
        assertThat(get(tenant, "/api/documents/" + traversal).get("metadata").get("filename").asText())
                .isEqualTo("passwd.txt");
    }

    @Test
    void badFilesFailReadablyOrAreRefusedAndTheServiceStaysUp() {
        Tenant tenant = signUp();
        put(tenant, Map.of("allowed_document_types", List.of("pdf", "docx", "txt", "md", "html")));
        byte[] valid = TestDocuments.pdf("A perfectly fine page.");
        Map<String, byte[]> failing = Map.of(
                "corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage garbage".getBytes(),
                "truncated.pdf", java.util.Arrays.copyOf(valid, valid.length / 3),
                "locked.pdf", TestDocuments.encryptedPdf("Secret salaries."),
                "bomb.docx", TestDocuments.docxBomb());
        Map<String, String> ids = new java.util.HashMap<>();
        failing.forEach((name, bytes) -> ids.put(name, upload(tenant, name, "application/octet-stream", bytes,
                Map.of(), HttpStatus.ACCEPTED).get("document_id").asText()));
        String good = ingest(tenant, Map.of("title", "Fine", "doc_type", "txt",
                "content", "Still working after the bad files.")).get("document_id").asText();
        for (Map.Entry<String, String> entry : ids.entrySet()) {
            JsonNode status = awaitFinalStatus(tenant, entry.getValue());
            assertThat(status.get("status").asText()).as(entry.getKey()).isEqualTo("failed");
            assertThat(status.get("error_message").asText()).as(entry.getKey()).startsWith("parse: ")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(awaitFinalStatus(tenant, ids.get("locked.pdf")).get("error_message").asText())
                .contains("encrypted");
        assertThat(awaitFinalStatus(tenant, good).get("status").asText()).isEqualTo("completed");

        upload(tenant, "empty.txt", "text/plain", new byte[0], Map.of(), HttpStatus.BAD_REQUEST);
        upload(tenant, "program.exe", "application/octet-stream",
                new byte[]{0x4d, 0x5a, (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xff, (byte) 0xff},
                Map.of(), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        upload(tenant, "bad-meta.txt", "text/plain", "x".getBytes(), Map.of("metadata", "not json"),
                HttpStatus.BAD_REQUEST);
        http.post().uri("/api/ingest/file").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(noFile()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("'file'"));
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void tenantLimitsAreEnforced() {
        Tenant tenant = signUp();
        put(tenant, Map.of("max_file_size_mb", 1, "allowed_document_types", List.of("txt", "md"),
                "max_documents", 2));
        upload(tenant, "big.txt", "text/plain", "a".repeat(1024 * 1024 + 10).getBytes(), Map.of(),
                HttpStatus.PAYLOAD_TOO_LARGE);
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "big", "doc_type", "txt", "content", "b".repeat(1024 * 1024 + 10)))
                .exchange().expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        upload(tenant, "doc.pdf", "application/pdf", TestDocuments.pdf("not allowed here"), Map.of(),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "page", "doc_type", "html", "content", "<p>hi</p>"))
                .exchange().expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("allowed_document_types"));

        ingest(tenant, Map.of("title", "one", "external_id", "one", "doc_type", "txt", "content", "first"));
        String two = ingest(tenant, Map.of("title", "two", "doc_type", "txt", "content", "second"))
                .get("document_id").asText();
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "three", "doc_type", "txt", "content", "third"))
                .exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("max_documents"));
        // a new version of an existing document is not a new document
        assertThat(ingest(tenant, Map.of("title", "one", "external_id", "one", "doc_type", "txt",
                "content", "first, revised")).get("version").asInt()).isEqualTo(2);
        assertThat(get(tenant, "/api/documents").get("total").asInt()).isEqualTo(2);
        // a deleted document frees its slot, once
        http.delete().uri("/api/documents/{id}", two).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().is2xxSuccessful();
        ingest(tenant, Map.of("title", "three", "doc_type", "txt", "content", "third"));
        http.post().uri("/api/ingest/document").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "four", "doc_type", "txt", "content", "fourth"))
                .exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
    }

    /**
     * Every path answers the tenant's type and size limits with the same status and problem detail, and stores
     * nothing: JSON document, batch item, generic webhook, URL, multipart file, presigned-upload completion,
     * PUT /api/documents/{id}, a managed webhook's URL and its dry run.
     */
    @Test
    void everyIngestionPathAnswersTheTenantsLimitsAlike() throws Exception {
        Tenant tenant = signUp();
        put(tenant, Map.of("max_file_size_mb", 1, "allowed_document_types", List.of("txt", "md")));
        String typeRefused = "Document type 'html' is not allowed for this account (allowed_document_types: txt, md)";
        int bigSize = 1024 * 1024 + 10;
        String big = "b".repeat(bigSize);
        String sizeRefused = "The document is " + bigSize + " bytes; this account accepts at most 1048576 bytes"
                + " (max_file_size_mb)";
        Map<String, Object> html = Map.of("title", "page", "doc_type", "html", "content", "<p>hi</p>");
        Map<String, Object> large = Map.of("title", "big", "doc_type", "txt", "content", big);

        for (Map<String, Object> body : List.of(html, large)) {
            String detail = body == html ? typeRefused : sizeRefused;
            HttpStatus status = body == html ? HttpStatus.UNSUPPORTED_MEDIA_TYPE : HttpStatus.PAYLOAD_TOO_LARGE;
            for (String path : List.of("/api/ingest/document", "/api/ingest/webhook")) {
                assertRefused(http.post().uri(path), tenant, body, status, detail);
            }
        }
        JsonNode batch = http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(List.of(html, large)).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(batch.get("rejected").asInt()).isEqualTo(2);
        assertThat(batch.get("results").get(0).get("error").get("status").asInt()).isEqualTo(415);
        assertThat(batch.get("results").get(0).get("error").get("detail").asText()).isEqualTo(typeRefused);
        assertThat(batch.get("results").get(1).get("error").get("status").asInt()).isEqualTo(413);
        assertThat(batch.get("results").get(1).get("error").get("detail").asText()).isEqualTo(sizeRefused);

        // a scraped page is html
        assertRefused(http.post().uri("/api/ingest/url"), tenant, Map.of("url", page("/article")),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, typeRefused);
        assertThat(upload(tenant, "page.html", "text/html", "<html><body><p>hi</p></body></html>".getBytes(),
                Map.of(), HttpStatus.UNSUPPORTED_MEDIA_TYPE).get("detail").asText()).isEqualTo(typeRefused);

        // a new version by id: the same limits (without doc_type the content counts as txt)
        String id = ingest(tenant, Map.of("title", "kept", "doc_type", "txt", "content", "Kept as it is."))
                .get("document_id").asText();
        assertRefused(http.put().uri("/api/documents/{id}", id), tenant, Map.of("content", "<p>hi</p>",
                "doc_type", "html"), HttpStatus.UNSUPPORTED_MEDIA_TYPE, typeRefused);
        assertRefused(http.put().uri("/api/documents/{id}", id), tenant, Map.of("content", big),
                HttpStatus.PAYLOAD_TOO_LARGE, sizeRefused);

        // presigned upload of a type the tenant does not accept: refused on completion, nothing submitted
        JsonNode presigned = http.get().uri("/api/ingest/presigned-url?filename=page.html&content_type=text/html")
                .header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(presigned.get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofString("<html><body><p>hi</p></body></html>"));
        presigned.get("headers").fields().forEachRemaining(h -> upload.header(h.getKey(), h.getValue().asText()));
        assertThat(HttpClient.newHttpClient().send(upload.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertRefused(http.post().uri(presigned.get("complete_url").asText()), tenant, null,
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, typeRefused);

        // a managed webhook: its URL and its dry run
        JsonNode webhook = http.post().uri("/api/webhooks").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Pages")).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String webhookPath = URI.create(webhook.get("webhook_url").asText()).getPath();
        for (Map<String, Object> body : List.of(html, large)) {
            String detail = body == html ? typeRefused : sizeRefused;
            HttpStatus status = body == html ? HttpStatus.UNSUPPORTED_MEDIA_TYPE : HttpStatus.PAYLOAD_TOO_LARGE;
            assertRefused(http.post().uri(webhookPath), null, body, status, detail);
            assertRefused(http.post().uri("/api/webhooks/{id}/test", webhook.get("id").asText()), tenant, body,
                    status, detail);
        }
        JsonNode webhookBatch = http.post().uri(webhookPath).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(html, large)).exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(webhookBatch.get("results").get(0).get("error").get("detail").asText()).isEqualTo(typeRefused);
        assertThat(webhookBatch.get("results").get(1).get("error").get("detail").asText()).isEqualTo(sizeRefused);

        assertThat(get(tenant, "/api/documents").get("total").asInt()).as("only the accepted document").isEqualTo(1);
        assertThat(get(tenant, "/api/documents/" + id + "/versions").get("versions")).hasSize(1);
    }

    private void assertRefused(org.springframework.test.web.reactive.server.WebTestClient.RequestBodySpec request,
                               Tenant tenant, Object body, HttpStatus status, String detail) {
        if (tenant != null) {
            request.header("X-API-Key", tenant.apiKey());
        }
        (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo(detail);
    }

    @Test
    void batchAnswersPerItemAndOneBadItemDoesNotSinkTheRest() {
        Tenant tenant = signUp();
        JsonNode result = http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(
                        Map.of("title", "A", "doc_type", "txt", "content", "Alpha content about apples."),
                        Map.of("title", "B", "doc_type", "exe", "content", "bad type"),
                        Map.of("title", "C", "doc_type", "md", "content", "Gamma content about grapes.")))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(result.get("accepted").asInt()).isEqualTo(2);
        assertThat(result.get("rejected").asInt()).isEqualTo(1);
        JsonNode items = result.get("results");
        assertThat(items.get(0).get("status").asText()).isEqualTo("processing");
        assertThat(items.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(items.get(1).get("error").get("status").asInt()).isEqualTo(400);
        assertThat(items.get(1).get("error").get("detail").asText()).contains("doc_type");
        assertThat(items.get(2).get("status").asText()).isEqualTo("processing");
        for (int i : new int[]{0, 2}) {
            assertThat(awaitFinalStatus(tenant, items.get(i).get("document_id").asText()).get("status").asText())
                    .isEqualTo("completed");
        }
        http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(List.of()).exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("documents", List.of(
                        Map.of("title", "D", "doc_type", "txt", "content", "Delta.")))).exchange()
                .expectStatus().isAccepted();
    }

    /**
     * Many documents at once: the batch submits items concurrently and the index writer writes many versions per
     * Lance commit, yet every document ends completed with each of its chunks in the index once, and two items naming
     * the same document are its versions 1 and 2 in the items' order.
     */
    @Test
    void aLargeBatchIsIndexedWholeAndKeepsTheOrderOfOneDocumentsVersions() {
        Tenant tenant = signUp();
        List<Map<String, String>> items = new ArrayList<>();
        String[] fruits = {"apricot", "banana", "cherry", "damson", "elderberry", "fig", "guava", "huckleberry",
                "jackfruit", "kumquat", "lychee", "mango"};
        for (String fruit : fruits) {
            items.add(Map.of("title", "About " + fruit, "doc_type", "txt",
                    "content", ("The " + fruit + " harvest report covers yields, prices and storage. ").repeat(40)));
        }
        items.set(3, Map.of("title", "Shared v1", "doc_type", "txt", "external_id", "shared-doc",
                "content", "The first draft of the shared document about damson jam."));
        items.set(9, Map.of("title", "Shared v2", "doc_type", "txt", "external_id", "shared-doc",
                "content", "The second draft of the shared document about kumquat marmalade."));
        JsonNode result = http.post().uri("/api/ingest/batch").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(items)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(result.get("accepted").asInt()).isEqualTo(items.size());
        JsonNode results = result.get("results");
        for (int i = 0; i < items.size(); i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        String shared = results.get(3).get("document_id").asText();
        assertThat(results.get(9).get("document_id").asText()).isEqualTo(shared);
        assertThat(results.get(3).get("version").asInt()).isEqualTo(1);
        assertThat(results.get(9).get("version").asInt()).isEqualTo(2);

        for (int i = 0; i < items.size(); i++) {
            if (i == 3) {
                continue; // version 1 of the shared document: superseded by item 9
            }
            String id = results.get(i).get("document_id").asText();
            assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
            int chunkCount = get(tenant, "/api/documents/" + id).get("chunk_count").asInt();
            assertThat(chunkCount).isPositive();
            // the Lance dataset holds each chunk of the active version once (older versions leave it shortly after)
            awaitTrue(Duration.ofSeconds(30), () -> index.countChunks(IndexSpace.initial(TenantId.of(tenant.id())),
                    DocumentId.of(id)) == chunkCount);
        }
        awaitTrue(Duration.ofSeconds(30), () -> get(tenant, "/api/documents/" + shared).get("active_version")
                .asInt() == 2);
    }

    @Test
    void genericWebhookMapsUsualFieldNames() {
        Tenant tenant = signUp();
        JsonNode accepted = http.post().uri("/api/ingest/webhook").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Support ticket 4411", "text", "The printer on floor 3 jams on A3 paper.",
                        "id", "ticket-4411", "url", "https://helpdesk.example.com/t/4411", "priority", "high"))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = accepted.get("document_id").asText();
        awaitFinalStatus(tenant, id);
        JsonNode details = get(tenant, "/api/documents/" + id);
        assertThat(details.get("title").asText()).isEqualTo("Support ticket 4411");
        assertThat(details.get("external_id").asText()).isEqualTo("ticket-4411");
        assertThat(details.get("source_url").asText()).isEqualTo("https://helpdesk.example.com/t/4411");
        assertThat(details.get("metadata").get("priority").asText()).isEqualTo("high");
        http.post().uri("/api/ingest/webhook").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("priority", "high")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("content"));
    }

    @Test
    void urlIngestionKeepsTheMainContentAndRefusesPrivateAddresses() {
        Tenant tenant = signUp();
        JsonNode accepted = http.post().uri("/api/ingest/url").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", page("/article")))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = accepted.get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        JsonNode details = get(tenant, "/api/documents/" + id);
        assertThat(details.get("title").asText()).isEqualTo("Tide tables explained");
        assertThat(details.get("source_url").asText()).isEqualTo(page("/article"));
        JsonNode hits = search(tenant, "when do spring tides happen", 10).get("results");
        assertThat(hits.get(0).get("text").asText()).contains("Spring tides happen at new and full moon");
        for (JsonNode hit : hits) {
            assertThat(hit.get("text").asText()).doesNotContain("cookies").doesNotContain("Shop our mugs")
                    .doesNotContain("Unsubscribe");
        }
        // scraping the same page again is a duplicate of the same document
        JsonNode again = http.post().uri("/api/ingest/url").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", page("/article")))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(again.get("document_id").asText()).isEqualTo(id);
        assertThat(again.get("status").asText()).isEqualTo("duplicate");

        for (String refused : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/",
                "http://[::1]:8080/", "file:///etc/passwd", "ftp://127.0.0.1/", page("/to-metadata"),
                "http://user:pw@127.0.0.1:" + pages.getAddress().getPort() + "/article")) {
            http.post().uri("/api/ingest/url").header("X-API-Key", tenant.apiKey())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", refused))
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).isNotBlank());
        }
        http.post().uri("/api/ingest/url").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", page("/missing")))
                .exchange().expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    }

    @Test
    void presignedUploadIsProcessedOnCompletion() throws Exception {
        Tenant tenant = signUp();
        put(tenant, Map.of("allowed_document_types", List.of("pdf", "txt")));
        JsonNode presigned = http.get()
                .uri("/api/ingest/presigned-url?filename=contract.pdf&content_type=application/pdf&title=Contract"
                        + "&external_id=contract-7")
                .header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(presigned.get("method").asText()).isEqualTo("PUT");
        assertThat(presigned.get("key").asText()).startsWith("tenants/" + tenant.id() + "/uploads/");

        http.post().uri(presigned.get("complete_url").asText()).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("uploaded"));

        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.get("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(TestDocuments.pdf("The lease runs until 2031.")));
        presigned.get("headers").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
        HttpResponse<String> uploaded = HttpClient.newHttpClient().send(put.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

        Tenant other = signUp();
        http.post().uri(presigned.get("complete_url").asText()).header("X-API-Key", other.apiKey()).exchange()
                .expectStatus().isNotFound();

        JsonNode accepted = http.post().uri(presigned.get("complete_url").asText())
                .header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = accepted.get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        assertThat(get(tenant, "/api/documents/" + id).get("page_count").asInt()).isEqualTo(1);
        assertThat(get(tenant, "/api/documents/" + id).get("external_id").asText()).isEqualTo("contract-7");
        assertThat(search(tenant, "when does the lease end", 3).get("results").get(0).get("document_id").asText())
                .isEqualTo(id);
        http.post().uri(presigned.get("complete_url").asText()).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        http.get().uri("/api/ingest/presigned-url?filename=x.pdf&content_type=not a type")
                .header("X-API-Key", tenant.apiKey()).exchange().expectStatus().isBadRequest();
    }

    @Test
    void anotherTenantCannotTouchADocument() {
        Tenant owner = signUp();
        Tenant intruder = signUp();
        String id = ingest(owner, Map.of("title", "Mine", "external_id", "shared-id", "doc_type", "txt",
                "content", "Owner's private text.")).get("document_id").asText();
        awaitFinalStatus(owner, id);
        for (var request : List.of(
                http.get().uri("/api/documents/{id}/versions", id),
                http.delete().uri("/api/documents/{id}", id))) {
            request.header("X-API-Key", intruder.apiKey()).exchange().expectStatus().isNotFound();
        }
        http.put().uri("/api/documents/{id}", id).header("X-API-Key", intruder.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("content", "overwritten")).exchange()
                .expectStatus().isNotFound();
        // the same external_id in another tenant is another document
        String theirs = ingest(intruder, Map.of("title", "Theirs", "external_id", "shared-id", "doc_type", "txt",
                "content", "Intruder's own text.")).get("document_id").asText();
        assertThat(theirs).isNotEqualTo(id);
        assertThat(get(owner, "/api/documents/" + id).get("title").asText()).isEqualTo("Mine");
        assertThat(get(owner, "/api/documents/" + id + "/versions").get("versions")).hasSize(1);
    }

    private JsonNode upload(Tenant tenant, String filename, String contentType, byte[] bytes,
                            Map<String, String> fields, HttpStatus expected) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(MediaType.parseMediaType(contentType));
        fields.forEach(form::part);
        return http.post().uri("/api/ingest/file").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static org.springframework.util.MultiValueMap<String, org.springframework.http.HttpEntity<?>> noFile() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("title", "no file");
        return form.build();
    }

    private JsonNode get(Tenant tenant, String path) {
        return http.get().uri(path).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void put(Tenant tenant, Map<String, Object> config) {
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(config).exchange().expectStatus().isOk();
    }
}
