package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.usage.UsageMeter;
import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.kernel.search.api.query.SearchHit;
import io.dynamicrag.kernel.search.api.query.SearchMode;
import io.dynamicrag.kernel.search.api.query.SearchResults;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.query.search.SearchAdmission;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/** {@code search_documents}: the passages (chunks) of the caller's documents that best answer a question. */
class SearchDocumentsTool implements McpTool {

    private static final List<String> MODES = List.of("hybrid", "vector", "keyword");

    private final QueryGateway queries;
    private final UsageMeter usage;
    private final SearchAdmission admission;

    SearchDocumentsTool(QueryGateway queries, UsageMeter usage, SearchAdmission admission) {
        this.queries = queries;
        this.usage = usage;
        this.admission = admission;
    }

    @Override
    public String name() {
        return "search_documents";
    }

    @Override
    public String title() {
        return "Search document passages";
    }

    @Override
    public String description() {
        return "Finds the passages (chunks) of your documents that best answer a question or match keywords. "
                + "Returns each passage's text with its document_id, title, version, chunk_index and score "
                + "(higher is better). Use get_document with a document_id to read the full text.";
    }

    @Override
    public List<String> argumentNames() {
        return List.of("query", "top_k", "mode", SearchFilterArguments.NAME, "as_of_version");
    }

    @Override
    public Map<String, Object> inputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "query": {"type": "string", "minLength": 1, "maxLength": 2000,
                              "description": "The question or keywords to search for."},
                    "top_k": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10,
                              "description": "How many passages to return."},
                    "mode": {"type": "string", "enum": ["hybrid", "vector", "keyword"], "default": "hybrid",
                             "description": "hybrid: meaning and keywords fused (best default); vector: meaning only; keyword: exact words (BM25)."},
                    "filters": %s,
                    "as_of_version": {"type": "integer", "minimum": 1,
                                      "description": "Search each document's version n instead of its active version (history)."}
                  },
                  "required": ["query"],
                  "additionalProperties": false
                }""".formatted(JsonSchemas.FILTERS));
    }

    @Override
    public Map<String, Object> outputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "query": {"type": "string"},
                    "mode": {"type": "string"},
                    "count": {"type": "integer"},
                    "results": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "document_id": {"type": "string"},
                          "title": {"type": ["string", "null"]},
                          "chunk_index": {"type": "integer"},
                          "text": {"type": "string"},
                          "score": {"type": "number"},
                          "version": {"type": "integer"},
                          "source_url": {"type": ["string", "null"]}
                        },
                        "required": ["document_id", "chunk_index", "text", "score", "version"]
                      }
                    }
                  },
                  "required": ["query", "mode", "count", "results"]
                }""");
    }

    @Override
    public Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments) {
        String text = arguments.requiredText("query", 2000);
        int topK = arguments.optionalInt("top_k", 1, 100, 10);
        SearchMode mode = SearchMode.fromWire(arguments.optionalChoice("mode", MODES, "hybrid"));
        SearchFilters filters = SearchFilterArguments.read(arguments);
        Integer asOfVersion = arguments.optionalInteger("as_of_version", 1, Integer.MAX_VALUE);
        FindSimilarChunksQuery query =
                new FindSimilarChunksQuery(caller.tenantId(), text, topK, mode, filters, asOfVersion);
        return QueryBusCalls.search(admission, queries, query, SearchResults.class)
                .<Object>map(results -> new Answer(text, mode.wireName(), results.results().size(),
                        results.results().stream().map(Passage::of).toList()))
                .doOnSuccess(answer -> usage.searched(caller.tenantId(), "mcp"));
    }

    record Answer(String query, String mode, int count, List<Passage> results) {
    }

    record Passage(String documentId, String title, int chunkIndex, String text, double score, int version,
                   String sourceUrl) {

        static Passage of(SearchHit hit) {
            return new Passage(hit.documentId(), hit.title(), hit.chunkIndex(), hit.text(), hit.score(),
                    hit.version(), hit.sourceUrl());
        }
    }
}
