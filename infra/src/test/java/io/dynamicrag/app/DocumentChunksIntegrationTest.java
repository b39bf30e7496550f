package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.chunking.Chunkers;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/documents/{id}/chunks: the active version's chunks, in order, paged, for the owning tenant only. */
class DocumentChunksIntegrationTest extends IntegrationTest {

    private static final int SIZE = 120;
    private static final int OVERLAP = 30;

    @Test
    void theChunksOfTheActiveVersionPageInChunkOrderAsThePipelineCutThem() {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("chunking_size", SIZE, "chunking_overlap", OVERLAP, "chunking_strategy", "fixed",
                        "rate_limit_requests_per_minute", 1000))
                .exchange().expectStatus().isOk();
        String content = IntStream.rangeClosed(1, 14)
                .mapToObj(i -> "Sentence number " + i + " tells the reader about harbour number " + i
                        + " and its lighthouse.")
                .collect(Collectors.joining(" "));
        List<Chunk> expected = Chunkers.forName("fixed").chunk(content, SIZE, OVERLAP);
        assertThat(expected).hasSizeGreaterThan(8);

        String id = ingest(tenant, Map.of("title", "Harbours", "doc_type", "txt", "content", content))
                .get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");

        // page through with the JWT, 4 at a time, and find exactly the pipeline's chunking
        List<JsonNode> seen = new ArrayList<>();
        int pages = (expected.size() + 3) / 4;
        for (int page = 1; page <= pages; page++) {
            JsonNode answer = chunks(tenant.token(), id, "page=" + page + "&size=4", HttpStatus.OK);
            assertThat(answer.get("document_id").asText()).isEqualTo(id);
            assertThat(answer.get("version").asInt()).isEqualTo(1);
            assertThat(answer.get("page").asInt()).isEqualTo(page);
            assertThat(answer.get("size").asInt()).isEqualTo(4);
            assertThat(answer.get("total").asInt()).isEqualTo(expected.size());
            assertThat(answer.get("chunks").size()).isEqualTo(Math.min(4, expected.size() - (page - 1) * 4));
            answer.get("chunks").forEach(seen::add);
        }
        assertThat(seen).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Chunk chunk = expected.get(i);
            JsonNode got = seen.get(i);
            assertThat(got.get("chunk_index").asInt()).isEqualTo(i);
            assertThat(got.get("text").asText()).isEqualTo(chunk.text());
            assertThat(got.get("character_count").asInt()).isEqualTo(chunk.text().length());
            assertThat(got.get("start_offset").asInt()).isEqualTo(chunk.start());
            assertThat(got.get("end_offset").asInt()).isEqualTo(chunk.end());
        }

        // defaults (page 1, size 20) with the API key: everything at once here
        JsonNode all = chunks(tenant, id, "", HttpStatus.OK);
        assertThat(all.get("page").asInt()).isEqualTo(1);
        assertThat(all.get("size").asInt()).isEqualTo(20);
        assertThat(all.get("chunks").size()).isEqualTo(expected.size());
        // past the end: the total, no chunks
        JsonNode beyond = chunks(tenant, id, "page=99&size=100", HttpStatus.OK);
        assertThat(beyond.get("total").asInt()).isEqualTo(expected.size());
        assertThat(beyond.get("chunks").size()).isZero();

        // a new version replaces them once it is indexed
        http.put().uri("/api/documents/{id}", id).header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("content", "A short second version about one harbour only."))
                .exchange().expectStatus().isAccepted();
        awaitVersion(tenant, id, 2);
        JsonNode second = chunks(tenant, id, "", HttpStatus.OK);
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(second.get("total").asInt()).isEqualTo(1);
        assertThat(second.get("chunks").get(0).get("text").asText())
                .isEqualTo("A short second version about one harbour only.");
    }

    @Test
    void anotherTenantsOrAnUnknownDocumentIs404AndBadPagingIs400() {
        Tenant owner = signUp();
        Tenant other = signUp();
        String id = ingest(owner, Map.of("title", "Private", "doc_type", "txt",
                "content", "Only the owner may read these chunks.")).get("document_id").asText();
        assertThat(awaitFinalStatus(owner, id).get("status").asText()).isEqualTo("completed");
        assertThat(chunks(owner, id, "", HttpStatus.OK).get("total").asInt()).isEqualTo(1);

        for (String unknown : List.of(id, UUID.randomUUID().toString(), "not-a-uuid")) {
            JsonNode problem = chunks(other, unknown, "", HttpStatus.NOT_FOUND);
            assertThat(problem.get("detail").asText()).isEqualTo("Document " + unknown + " not found");
        }
        http.get().uri("/api/documents/{id}/chunks", id).exchange().expectStatus().isUnauthorized();

        Map<String, String> bad = Map.of(
                "size=0", "size", "size=101", "size", "size=ten", "size",
                "page=0", "page", "page=-1", "page", "page=x&size=5", "page");
        bad.forEach((query, parameter) -> {
            JsonNode problem = chunks(owner, id, query, HttpStatus.BAD_REQUEST);
            assertThat(problem.get("detail").asText()).as(query).startsWith(parameter + " must be");
        });
    }

    @Test
    void aDocumentWithNoCompletedVersionHasNoChunksYet() {
        Tenant tenant = signUp();
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(
                "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage garbage".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public String getFilename() {
                return "corrupt.pdf";
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        String id = http.post().uri("/api/ingest/file").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("failed");

        JsonNode answer = chunks(tenant, id, "", HttpStatus.OK);
        assertThat(answer.get("document_id").asText()).isEqualTo(id);
        assertThat(answer.get("version").isNull()).isTrue();
        assertThat(answer.get("total").asInt()).isZero();
        assertThat(answer.get("chunks").size()).isZero();
    }

    private JsonNode chunks(Tenant tenant, String id, String query, HttpStatus expected) {
        return http.get().uri("/api/documents/" + id + "/chunks" + (query.isEmpty() ? "" : "?" + query))
                .header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode chunks(String token, String id, String query, HttpStatus expected) {
        return http.get().uri("/api/documents/" + id + "/chunks?" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void awaitVersion(Tenant tenant, String id, int version) {
        JsonNode status = awaitValue("version " + version + " of " + id, java.time.Duration.ofSeconds(60),
                java.time.Duration.ofMillis(200), () -> awaitFinalStatus(tenant, id),
                seen -> seen.get("version").asInt() == version);
        assertThat(status.get("status").asText()).isEqualTo("completed");
    }
}
