package io.dynamicrag.query.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.kernel.search.api.query.DocumentSearchResults;
import io.dynamicrag.kernel.search.api.query.FindRelevantDocumentsQuery;
import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
import io.dynamicrag.kernel.search.api.query.SearchMode;
import io.dynamicrag.kernel.search.api.query.SearchResults;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.usage.UsageMeter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /search}: chunks of the caller's own documents (hybrid, vector or keyword; filters; history with
 * {@code as_of_version}). {@code POST /search/catalog}: the caller's documents (not chunks) that are about the query.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class SearchController {

    static final int DEFAULT_TOP_K = 10;

    private final QueryGateway queries;
    private final UsageMeter usage;
    private final SearchAdmission admission;

    SearchController(QueryGateway queries, UsageMeter usage, SearchAdmission admission) {
        this.queries = queries;
        this.usage = usage;
        this.admission = admission;
    }

    @PostMapping("/search")
    Mono<SearchResults> search(@AuthenticationPrincipal AuthenticatedTenant caller,
                               @Valid @RequestBody SearchRequest request) {
        FindSimilarChunksQuery query = new FindSimilarChunksQuery(caller.tenantId(), request.query().trim(),
                topK(request.topK()), mode(request.mode()), SearchFiltersReader.read(request.filters()),
                request.asOfVersion());
        return ask(caller, query, SearchResults.class);
    }

    @PostMapping("/search/catalog")
    Mono<DocumentSearchResults> catalog(@AuthenticationPrincipal AuthenticatedTenant caller,
                                        @Valid @RequestBody CatalogSearchRequest request) {
        FindRelevantDocumentsQuery query = new FindRelevantDocumentsQuery(caller.tenantId(), request.query().trim(),
                topK(request.topK()), SearchFiltersReader.read(request.filters()));
        return ask(caller, query, DocumentSearchResults.class);
    }

    private <R> Mono<R> ask(AuthenticatedTenant caller, Object query, Class<R> answer) {
        // The handlers embed the query and read Lance: blocking work, on the search pool (or shed when it is full).
        return admission.admit(() -> queries.query(query, ResponseTypes.instanceOf(answer)))
                .doOnSuccess(results -> usage.searched(caller.tenantId(), "rest"));
    }

    private static int topK(Integer topK) {
        return topK == null ? DEFAULT_TOP_K : topK;
    }

    private static SearchMode mode(String mode) {
        if (mode == null) {
            return SearchMode.HYBRID;
        }
        try {
            return SearchMode.fromWire(mode);
        } catch (IllegalArgumentException e) {
            throw SearchFiltersReader.invalid(e.getMessage());
        }
    }

    record SearchRequest(
            @NotBlank @Size(max = 2000) String query,
            @Min(1) @Max(100) @JsonProperty("top_k") Integer topK,
            String mode,
            JsonNode filters,
            @Min(1) @JsonProperty("as_of_version") Integer asOfVersion) {
    }

    record CatalogSearchRequest(
            @NotBlank @Size(max = 2000) String query,
            @Min(1) @Max(100) @JsonProperty("top_k") Integer topK,
            JsonNode filters) {
    }
}
