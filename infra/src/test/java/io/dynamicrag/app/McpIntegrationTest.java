package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.search.api.query.DocumentSearchResults;
import io.dynamicrag.kernel.search.api.query.FindRelevantDocumentsQuery;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MCP server at /mcp, driven by the official MCP Java SDK client over Streamable HTTP (and by plain HTTP for
 * GET /mcp, GET /tools and the 401s): the tool list, every tool's answer checked against what was ingested, bad
 * arguments, and that each tool shows one tenant nothing of another's.
 */
class McpIntegrationTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOOLS =
            List.of("search_documents", "search_catalog", "list_documents", "get_document", "get_document_versions");
    private static final String EIFFEL = "In Paris we visited the Eiffel Tower, which was finished in 1889 for the "
            + "World's Fair. Gustave Eiffel's company designed and built the wrought-iron lattice tower.";
    private static final String MANUAL_V1 = "The coffee machine model X200 needs descaling every month.";
    private static final String MANUAL_V2 = "The coffee machine model X200 needs descaling every two weeks when "
            + "the water is hard, and its milk frother must be rinsed after every use.";
    private static final String PANCAKES = "Bob's secret pancake recipe: two eggs, a cup of buttermilk, flour, a "
            + "pinch of salt and a spoonful of maple syrup in the batter.";

    /** Made once for the class (the application context and its database are shared by the test methods). */
    private static Fixture fixture;

    @Autowired
    QueryGateway queries;

    private record Fixture(Tenant alice, Tenant bob, String eiffelId, String manualId, String pancakesId) {
    }

    @BeforeEach
    void ingestOnce() {
        if (fixture != null) {
            return;
        }
        Tenant alice = signUp();
        Tenant bob = signUp();
        // a tenant's MCP client makes several requests per test; the default 60/min would slow the class down
        raiseRateLimit(alice);
        raiseRateLimit(bob);
        String eiffel = ingest(alice, Map.of("title", "Travel diary", "doc_type", "txt", "external_id", "diary-1",
                "metadata", Map.of("trip", "france"), "content", EIFFEL)).get("document_id").asText();
        String manual = ingest(alice, Map.of("title", "X200 manual", "doc_type", "txt", "external_id", "x200",
                "content", MANUAL_V1)).get("document_id").asText();
        String pancakes = ingest(bob, Map.of("title", "Pancakes", "doc_type", "txt", "content", PANCAKES))
                .get("document_id").asText();
        assertThat(awaitFinalStatus(alice, eiffel).get("status").asText()).isEqualTo("completed");
        assertThat(awaitFinalStatus(alice, manual).get("status").asText()).isEqualTo("completed");
        assertThat(awaitFinalStatus(bob, pancakes).get("status").asText()).isEqualTo("completed");
        // version 2 of the manual becomes the active version once it is processed
        JsonNode second = ingest(alice, Map.of("title", "X200 manual", "doc_type", "txt", "external_id", "x200",
                "content", MANUAL_V2));
        assertThat(second.get("version").asInt()).isEqualTo(2);
        JsonNode status = awaitFinalStatus(alice, manual);
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(status.get("version").asInt()).isEqualTo(2);
        fixture = new Fixture(alice, bob, eiffel, manual, pancakes);
    }

    // ---------------------------------------------------------------- protocol, discovery, authentication

    @Test
    void aClientNegotiatesTheLatestProtocolAndListsTheToolsWithTheirSchemas() {
        try (McpSyncClient client = client(builder -> builder.header("X-API-Key", fixture.alice().apiKey()))) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(init.serverInfo().name()).isEqualTo("dynamic-rag");
            assertThat(init.capabilities().tools()).isNotNull();
            assertThat(init.instructions()).contains("search_documents");

            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(TOOLS);
            for (McpSchema.Tool tool : tools) {
                assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
                assertThat(tool.inputSchema().type()).isEqualTo("object");
                assertThat(tool.inputSchema().additionalProperties()).isFalse();
                assertThat(tool.outputSchema()).containsEntry("type", "object");
                assertThat(tool.annotations().readOnlyHint()).isTrue();
            }
            McpSchema.Tool search = tools.get(0);
            assertThat(search.inputSchema().required()).containsExactly("query");
            assertThat(search.inputSchema().properties())
                    .containsOnlyKeys("query", "top_k", "mode", "filters", "as_of_version");
            McpSchema.Tool read = tools.get(3);
            assertThat(read.inputSchema().required()).containsExactly("document_id");
            assertThat(read.inputSchema().properties()).containsOnlyKeys("document_id", "offset", "limit");
        }
    }

    @Test
    void getMcpAnswersServerInfoAndGetToolsListsTheTools() {
        JsonNode info = http.get().uri("/mcp").header("X-API-Key", fixture.alice().apiKey())
                .accept(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(info.get("name").asText()).isEqualTo("dynamic-rag");
        assertThat(info.get("customer_id").asText()).isEqualTo(fixture.alice().id());
        assertThat(info.get("protocol_versions").toString()).contains("2025-11-25");
        assertThat(info.get("transport").get("type").asText()).isEqualTo("streamable-http");
        assertThat(info.get("transport").get("endpoint").asText()).isEqualTo("/mcp");
        assertThat(names(info.get("tools"))).containsExactlyElementsOf(TOOLS);

        // a Streamable HTTP client asking for the server-to-client stream: this stateless server has none (405)
        http.get().uri("/mcp").header("X-API-Key", fixture.alice().apiKey())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);

        JsonNode tools = http.get().uri("/tools").header("Authorization", "Bearer " + fixture.bob().token())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(tools.get("count").asInt()).isEqualTo(5);
        List<String> listed = new ArrayList<>();
        tools.get("tools").forEach(tool -> listed.add(tool.get("name").asText()));
        assertThat(listed).containsExactlyElementsOf(TOOLS);
        JsonNode search = tools.get("tools").get(0);
        assertThat(search.get("description").asText()).contains("passages");
        assertThat(search.get("input_schema").get("required").toString()).isEqualTo("[\"query\"]");
        assertThat(search.get("input_schema").get("properties").get("top_k").get("maximum").asInt()).isEqualTo(100);
        assertThat(search.get("output_schema").get("properties").has("results")).isTrue();
        assertThat(search.get("read_only").asBoolean()).isTrue();
        // every "type" names one type (nullable fields as anyOf): portable to single-type schema dialects
        assertThat(tools.toString()).doesNotContain("\"type\":[");
        assertThat(search.get("output_schema").get("properties").get("results").get("items").get("properties")
                .get("source_url").toString()).isEqualTo("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}");
    }

    @Test
    void everyMcpPathAnswers401WithoutOrWithWrongCredentials() {
        String initialize = """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                 "capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""";
        for (Consumer<org.springframework.http.HttpHeaders> credentials : List.<Consumer<org.springframework.http.HttpHeaders>>of(
                headers -> { },
                headers -> headers.set("X-API-Key", "drag_" + "x".repeat(43)),
                headers -> headers.set("Authorization", "Bearer drag_" + "y".repeat(43)),
                headers -> headers.set("Authorization", "Bearer not-a-jwt"))) {
            JsonNode problem = http.post().uri("/mcp").headers(credentials)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                    .bodyValue(initialize)
                    .exchange().expectStatus().isUnauthorized()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(problem.get("status").asInt()).isEqualTo(401);
            assertThat(problem.toString()).doesNotContain("protocolVersion").doesNotContain("dynamic-rag");
            http.get().uri("/mcp").headers(credentials).exchange().expectStatus().isUnauthorized();
            http.get().uri("/tools").headers(credentials).exchange().expectStatus().isUnauthorized();
        }

        // the SDK client cannot even initialise without a valid key
        try (McpSyncClient anonymous = client(builder -> { })) {
            assertThatThrownBy(anonymous::initialize).isInstanceOf(RuntimeException.class);
        }
        try (McpSyncClient wrongKey = client(builder -> builder.header("X-API-Key", "drag_" + "z".repeat(43)))) {
            assertThatThrownBy(wrongKey::initialize).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void mcpRequestsAreCountedByTheTenantsRateLimit() {
        var result = http.post().uri("/mcp").header("X-API-Key", fixture.alice().apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}")
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
        assertThat(result.getResponseBody().get("id").asInt()).isEqualTo(7);
        // the fixture raised the limit to 1000; limits are cached for up to 5 s, so either value may show
        long limit = Long.parseLong(result.getResponseHeaders().getFirst("X-RateLimit-Limit"));
        assertThat(limit).isIn(60L, 1000L);
        assertThat(Long.parseLong(result.getResponseHeaders().getFirst("X-RateLimit-Remaining"))).isLessThan(limit);
    }

    // ---------------------------------------------------------------- search_documents

    @Test
    void searchDocumentsFindsThePassageThatAnswersAndOnlyInTheCallersDocuments() {
        try (McpSyncClient alice = connected(fixture.alice()); McpSyncClient bob = connected(fixture.bob())) {
            JsonNode found = ok(alice.callTool(call("search_documents",
                    Map.of("query", "When was the iron tower in the French capital built?", "top_k", 3))));
            assertThat(found.get("query").asText()).isEqualTo("When was the iron tower in the French capital built?");
            assertThat(found.get("mode").asText()).isEqualTo("hybrid");
            JsonNode best = found.get("results").get(0);
            assertThat(best.get("document_id").asText()).isEqualTo(fixture.eiffelId());
            assertThat(best.get("title").asText()).isEqualTo("Travel diary");
            assertThat(best.get("text").asText()).contains("1889");
            assertThat(best.get("version").asInt()).isEqualTo(1);
            assertThat(best.get("score").asDouble()).isGreaterThan(0);
            assertThat(found.get("count").asInt()).isEqualTo(found.get("results").size()).isBetween(1, 3);
            assertThat(documentIds(found.get("results"))).doesNotContain(fixture.pancakesId());

            // bob's index holds only his document, whatever he asks and whatever ids he names
            JsonNode bobs = ok(bob.callTool(call("search_documents",
                    Map.of("query", "When was the Eiffel Tower finished?", "top_k", 10))));
            assertThat(documentIds(bobs.get("results"))).containsOnly(fixture.pancakesId());
            JsonNode named = ok(bob.callTool(call("search_documents", Map.of("query", "Eiffel Tower 1889",
                    "mode", "vector", "filters", Map.of("document_ids", List.of(fixture.eiffelId()))))));
            assertThat(documentIds(named.get("results"))).doesNotContain(fixture.eiffelId(), fixture.manualId());
        }
    }

    @Test
    void searchDocumentsExplainsBadArguments() {
        try (McpSyncClient alice = connected(fixture.alice())) {
            assertThat(error(alice.callTool(call("search_documents", Map.of()))))
                    .isEqualTo("query is required");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "   ")))))
                    .isEqualTo("query must not be blank");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower", "top_k", 0)))))
                    .isEqualTo("top_k must be between 1 and 100 (was 0)");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower", "top_k", "ten")))))
                    .isEqualTo("top_k must be an integer");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower", "mode", "fuzzy")))))
                    .isEqualTo("mode must be one of [hybrid, vector, keyword] (was 'fuzzy')");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower", "topk", 3)))))
                    .startsWith("Unknown argument(s) [topk]; allowed:");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower",
                    "filters", Map.of("created_after", "yesterday"))))))
                    .startsWith("created_after must be an ISO-8601 UTC timestamp");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower",
                    "filters", Map.of("document_ids", List.of("not-a-uuid")))))))
                    .isEqualTo("document_ids must be a document id (a UUID); was 'not-a-uuid'");
            assertThat(error(alice.callTool(call("search_documents", Map.of("query", "tower",
                    "filters", Map.of("tenant_id", fixture.bob().id()))))))
                    .startsWith("Unknown field(s) [tenant_id] in filters");
        }
    }

    // ---------------------------------------------------------------- search_catalog

    /**
     * Runs once a catalog search handler ({@code FindRelevantDocumentsQuery}) is registered on the query bus (the
     * search work provides it); until then {@link #searchCatalogSaysClearlyWhenNoCatalogSearchRuns} covers the tool.
     */
    @Test
    void searchCatalogFindsTheCallersDocumentsOnly_onceTheCatalogHandlerExists() {
        assumeTrue(catalogHandlerRegistered(), "no FindRelevantDocumentsQuery handler registered yet");
        try (McpSyncClient alice = connected(fixture.alice()); McpSyncClient bob = connected(fixture.bob())) {
            JsonNode found = ok(alice.callTool(call("search_catalog",
                    Map.of("query", "coffee machine descaling", "top_k", 5))));
            assertThat(documentIds(found.get("results"))).contains(fixture.manualId())
                    .doesNotContain(fixture.pancakesId());
            JsonNode first = found.get("results").get(0);
            assertThat(first.get("document_id").asText()).isEqualTo(fixture.manualId());
            assertThat(first.get("version").asInt()).isEqualTo(2);

            JsonNode bobs = ok(bob.callTool(call("search_catalog", Map.of("query", "coffee machine descaling"))));
            assertThat(documentIds(bobs.get("results"))).doesNotContain(fixture.manualId(), fixture.eiffelId());
        }
    }

    /** Until a catalog handler exists the tool answers a clear tool error (not a protocol error, not a 500). */
    @Test
    void searchCatalogSaysClearlyWhenNoCatalogSearchRuns() {
        assumeTrue(!catalogHandlerRegistered(), "a FindRelevantDocumentsQuery handler is registered");
        try (McpSyncClient alice = connected(fixture.alice())) {
            assertThat(error(alice.callTool(call("search_catalog", Map.of("query", "coffee")))))
                    .isEqualTo("search_catalog is not available on this server yet (no catalog search is running); "
                            + "use search_documents instead");
            // arguments are still checked first
            assertThat(error(alice.callTool(call("search_catalog", Map.of("query", "coffee", "top_k", 51)))))
                    .isEqualTo("top_k must be between 1 and 50 (was 51)");
        }
    }

    // ---------------------------------------------------------------- list_documents

    @Test
    void listDocumentsPagesThroughTheCallersDocumentsOnly() {
        try (McpSyncClient alice = connected(fixture.alice()); McpSyncClient bob = connected(fixture.bob())) {
            JsonNode all = ok(alice.callTool(call("list_documents", Map.of())));
            assertThat(all.get("total").asLong()).isEqualTo(2);
            assertThat(all.get("page").asInt()).isEqualTo(1);
            assertThat(all.get("size").asInt()).isEqualTo(20);
            assertThat(all.get("has_more").asBoolean()).isFalse();
            // newest first
            assertThat(documentIds(all.get("documents"))).containsExactly(fixture.manualId(), fixture.eiffelId());
            JsonNode manual = all.get("documents").get(0);
            assertThat(manual.get("title").asText()).isEqualTo("X200 manual");
            assertThat(manual.get("version").asInt()).isEqualTo(2);
            assertThat(manual.get("active_version").asInt()).isEqualTo(2);
            assertThat(manual.get("status").asText()).isEqualTo("completed");
            assertThat(manual.get("external_id").asText()).isEqualTo("x200");
            assertThat(manual.get("character_count").asInt()).isEqualTo(MANUAL_V2.length());
            JsonNode diary = all.get("documents").get(1);
            assertThat(diary.get("metadata").get("trip").asText()).isEqualTo("france");
            assertThat(diary.get("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");

            JsonNode firstPage = ok(alice.callTool(call("list_documents", Map.of("page", 1, "size", 1))));
            assertThat(documentIds(firstPage.get("documents"))).containsExactly(fixture.manualId());
            assertThat(firstPage.get("has_more").asBoolean()).isTrue();
            JsonNode secondPage = ok(alice.callTool(call("list_documents", Map.of("page", 2, "size", 1))));
            assertThat(documentIds(secondPage.get("documents"))).containsExactly(fixture.eiffelId());
            assertThat(secondPage.get("has_more").asBoolean()).isFalse();
            JsonNode failed = ok(alice.callTool(call("list_documents", Map.of("status", "failed"))));
            assertThat(failed.get("total").asLong()).isZero();

            JsonNode bobs = ok(bob.callTool(call("list_documents", Map.of("size", 100))));
            assertThat(bobs.get("total").asLong()).isEqualTo(1);
            assertThat(documentIds(bobs.get("documents"))).containsExactly(fixture.pancakesId());

            assertThat(error(alice.callTool(call("list_documents", Map.of("size", 101)))))
                    .isEqualTo("size must be between 1 and 100 (was 101)");
            assertThat(error(alice.callTool(call("list_documents", Map.of("status", "deleted")))))
                    .isEqualTo("status must be one of [processing, completed, failed] (was 'deleted')");
        }
    }

    // ---------------------------------------------------------------- get_document

    @Test
    void getDocumentReturnsTheActiveVersionsTextPageByPage() {
        try (McpSyncClient alice = connected(fixture.alice())) {
            JsonNode whole = ok(alice.callTool(call("get_document", Map.of("document_id", fixture.eiffelId()))));
            String text = whole.get("text").asText();
            assertThat(text.strip()).isEqualTo(EIFFEL);
            assertThat(whole.get("total_characters").asInt()).isEqualTo(text.length());
            assertThat(whole.get("next_offset").isNull()).isTrue();
            assertThat(whole.get("version").asInt()).isEqualTo(1);
            assertThat(whole.get("title").asText()).isEqualTo("Travel diary");
            assertThat(whole.get("offset").asInt()).isZero();
            assertThat(whole.get("limit").asInt()).isEqualTo(20_000);

            // pages of 40 characters put back together give the whole text
            StringBuilder pages = new StringBuilder();
            Integer offset = 0;
            int calls = 0;
            while (offset != null) {
                JsonNode page = ok(alice.callTool(call("get_document",
                        Map.of("document_id", fixture.eiffelId(), "offset", offset, "limit", 40))));
                assertThat(page.get("offset").asInt()).isEqualTo(offset);
                assertThat(page.get("total_characters").asInt()).isEqualTo(text.length());
                assertThat(page.get("text").asText().length()).isLessThanOrEqualTo(40);
                pages.append(page.get("text").asText());
                offset = page.get("next_offset").isNull() ? null : page.get("next_offset").asInt();
                calls++;
            }
            assertThat(pages.toString()).isEqualTo(text);
            assertThat(calls).isEqualTo((text.length() + 39) / 40);

            JsonNode middle = ok(alice.callTool(call("get_document",
                    Map.of("document_id", fixture.eiffelId(), "offset", 24, "limit", 12))));
            assertThat(middle.get("text").asText()).isEqualTo(text.substring(24, 36)).isEqualTo("Eiffel Tower");
            assertThat(middle.get("next_offset").asInt()).isEqualTo(36);

            // the manual's active version is version 2: its text, not version 1's
            JsonNode manual = ok(alice.callTool(call("get_document", Map.of("document_id", fixture.manualId()))));
            assertThat(manual.get("version").asInt()).isEqualTo(2);
            assertThat(manual.get("text").asText().strip()).isEqualTo(MANUAL_V2);

            assertThat(error(alice.callTool(call("get_document",
                    Map.of("document_id", fixture.eiffelId(), "offset", 100_000)))))
                    .isEqualTo("offset 100000 is beyond the end of the text (" + text.length() + " characters)");
            assertThat(error(alice.callTool(call("get_document",
                    Map.of("document_id", fixture.eiffelId(), "limit", 0)))))
                    .isEqualTo("limit must be between 1 and 100000 (was 0)");
            assertThat(error(alice.callTool(call("get_document", Map.of("document_id", "../../etc/passwd")))))
                    .isEqualTo("document_id must be a document id (a UUID); was '../../etc/passwd'");
        }
    }

    @Test
    void getDocumentAnswersAnotherTenantsDocumentLikeAnUnknownOne() {
        try (McpSyncClient bob = connected(fixture.bob())) {
            String unknown = UUID.randomUUID().toString();
            assertThat(error(bob.callTool(call("get_document", Map.of("document_id", unknown)))))
                    .isEqualTo("Document " + unknown + " not found");
            assertThat(error(bob.callTool(call("get_document", Map.of("document_id", fixture.eiffelId())))))
                    .isEqualTo("Document " + fixture.eiffelId() + " not found");
            JsonNode own = ok(bob.callTool(call("get_document", Map.of("document_id", fixture.pancakesId()))));
            assertThat(own.get("text").asText().strip()).isEqualTo(PANCAKES);
        }
    }

    // ---------------------------------------------------------------- get_document_versions

    @Test
    void getDocumentVersionsShowsTheHistoryOfTheCallersDocumentOnly() {
        try (McpSyncClient alice = connected(fixture.alice()); McpSyncClient bob = connected(fixture.bob())) {
            JsonNode history = ok(alice.callTool(call("get_document_versions",
                    Map.of("document_id", fixture.manualId()))));
            assertThat(history.get("document_id").asText()).isEqualTo(fixture.manualId());
            assertThat(history.get("active_version").asInt()).isEqualTo(2);
            JsonNode versions = history.get("versions");
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
            assertThat(versions.get(0).get("is_active").asBoolean()).isTrue();
            assertThat(versions.get(0).get("status").asText()).isEqualTo("completed");
            assertThat(versions.get(0).get("content_hash").asText()).hasSize(64);
            assertThat(versions.get(1).get("version").asInt()).isEqualTo(1);
            assertThat(versions.get(1).get("is_active").asBoolean()).isFalse();
            assertThat(versions.get(1).get("content_hash").asText())
                    .isNotEqualTo(versions.get(0).get("content_hash").asText());

            assertThat(error(bob.callTool(call("get_document_versions", Map.of("document_id", fixture.manualId())))))
                    .isEqualTo("Document " + fixture.manualId() + " not found");
            assertThat(error(bob.callTool(call("get_document_versions", Map.of()))))
                    .isEqualTo("document_id is required");
            JsonNode own = ok(bob.callTool(call("get_document_versions",
                    Map.of("document_id", fixture.pancakesId()))));
            assertThat(own.get("versions")).hasSize(1);
            assertThat(own.get("active_version").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownToolIsAProtocolError() {
        try (McpSyncClient alice = connected(fixture.alice())) {
            assertThatThrownBy(() -> alice.callTool(call("delete_everything", Map.of())))
                    .hasMessageContaining("Unknown tool");
        }
    }

    // ---------------------------------------------------------------- helpers

    private McpSyncClient client(Consumer<java.net.http.HttpRequest.Builder> credentials) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://localhost:" + port)
                .endpoint("/mcp")
                .customizeRequest(credentials)
                .build();
        return McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(30))
                .build();
    }

    private McpSyncClient connected(Tenant tenant) {
        McpSyncClient client = client(builder -> builder.header("X-API-Key", tenant.apiKey()));
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return new McpSchema.CallToolRequest(tool, new LinkedHashMap<>(arguments));
    }

    /** The structured result of a successful call, checked to equal the JSON text the call also returned. */
    private static JsonNode ok(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("isError; content: %s", result.content()).isFalse();
        JsonNode structured = JSON.valueToTree(result.structuredContent());
        assertThat(result.content()).hasSize(1);
        JsonNode text = read(((McpSchema.TextContent) result.content().get(0)).text());
        assertThat(text).isEqualTo(structured);
        return structured;
    }

    /** The message of a tool error (isError: true, one text content, no structured content). */
    private static String error(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("isError; content: %s", result.content()).isTrue();
        assertThat(result.structuredContent()).isNull();
        String message = ((McpSchema.TextContent) result.content().get(0)).text();
        assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
        return message;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static List<String> documentIds(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("document_id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.asText()));
        return names;
    }

    private void raiseRateLimit(Tenant tenant) {
        http.put().uri("/api/customers/config").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rate_limit_requests_per_minute", 1000))
                .exchange().expectStatus().isOk();
    }

    /** Whether some component answers catalog queries (the search work registers one). */
    private boolean catalogHandlerRegistered() {
        try {
            queries.query(new FindRelevantDocumentsQuery(new TenantId(UUID.randomUUID()), "probe", 1, null),
                    DocumentSearchResults.class).get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof NoHandlerForQueryException);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
