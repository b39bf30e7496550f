package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.usage.UsageMeter;
import io.dynamicrag.kernel.search.api.query.DocumentHit;
import io.dynamicrag.kernel.search.api.query.DocumentSearchResults;
import io.dynamicrag.kernel.search.api.query.FindRelevantDocumentsQuery;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import io.dynamicrag.query.search.SearchAdmission;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * {@code search_catalog}: which of the caller's documents are about a topic (one hit per document, with a summary),
 * answered by whichever component handles {@link FindRelevantDocumentsQuery} on the query bus. Without such a handler
 * the tool says so as a tool error instead of failing the whole request.
 */
class SearchCatalogTool implements McpTool {

    static final String UNAVAILABLE = "search_catalog is not available on this server yet (no catalog search is "
            + "running); use search_documents instead";

    private final QueryGateway queries;
    private final UsageMeter usage;
    private final SearchAdmission admission;

    SearchCatalogTool(QueryGateway queries, UsageMeter usage, SearchAdmission admission) {
        this.queries = queries;
        this.usage = usage;
        this.admission = admission;
    }

    @Override
    public String name() {
        return "search_catalog";
    }

    @Override
    public String title() {
        return "Find relevant documents";
    }

    @Override
    public String description() {
        return "Finds which of your documents are about a topic: one result per document with its title, type, "
                + "source_url, a short summary and a score (higher is better). Use it to choose documents; use "
                + "search_documents for the passages that answer a question.";
    }

    @Override
    public List<String> argumentNames() {
        return List.of("query", "top_k", SearchFilterArguments.NAME);
    }

    @Override
    public Map<String, Object> inputSchema() {
        return JsonSchemas.parse("""
                {
                  "type": "object",
                  "properties": {
                    "query": {"type": "string", "minLength": 1, "maxLength": 2000,
                              "description": "The topic or question."},
                    "top_k": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10,
                              "description": "How many documents to return."},
                    "filters": %s
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
                    "count": {"type": "integer"},
                    "results": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "document_id": {"type": "string"},
                          "title": {"type": ["string", "null"]},
                          "version": {"type": "integer"},
                          "doc_type": {"type": ["string", "null"]},
                          "source_url": {"type": ["string", "null"]},
                          "summary": {"type": ["string", "null"]},
                          "score": {"type": "number"}
                        },
                        "required": ["document_id", "version", "score"]
                      }
                    }
                  },
                  "required": ["query", "count", "results"]
                }""");
    }

    @Override
    public Mono<Object> call(AuthenticatedTenant caller, ToolArguments arguments) {
        String text = arguments.requiredText("query", 2000);
        int topK = arguments.optionalInt("top_k", 1, 50, 10);
        FindRelevantDocumentsQuery query =
                new FindRelevantDocumentsQuery(caller.tenantId(), text, topK, SearchFilterArguments.read(arguments));
        return QueryBusCalls.search(admission, queries, query, DocumentSearchResults.class)
                .onErrorMap(e -> QueryBusCalls.cause(e, NoHandlerForQueryException.class) != null,
                        e -> new ToolError(UNAVAILABLE))
                .<Object>map(results -> new Answer(text, results.results().size(),
                        results.results().stream().map(CatalogEntry::of).toList()))
                .doOnSuccess(answer -> usage.searched(caller.tenantId(), "mcp"));
    }

    record Answer(String query, int count, List<CatalogEntry> results) {
    }

    record CatalogEntry(String documentId, String title, int version, String docType, String sourceUrl,
                        String summary, double score) {

        static CatalogEntry of(DocumentHit hit) {
            return new CatalogEntry(hit.documentId(), hit.title(), hit.version(), hit.docType(), hit.sourceUrl(),
                    hit.summary(), hit.score());
        }
    }
}
