package io.dynamicrag.query.search;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dynamicrag.kernel.search.api.query.FindSimilarChunksQuery;
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
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code POST /search}: semantic search over the caller's own chunks. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class SearchController {

    private final QueryGateway queries;
    private final UsageMeter usage;

    SearchController(QueryGateway queries, UsageMeter usage) {
        this.queries = queries;
        this.usage = usage;
    }

    @PostMapping("/search")
    Mono<SearchResults> search(@AuthenticationPrincipal AuthenticatedTenant caller,
                               @Valid @RequestBody SearchRequest request) {
        FindSimilarChunksQuery query = new FindSimilarChunksQuery(caller.tenantId(), request.query().trim(),
                request.topK() == null ? 10 : request.topK());
        // The handler embeds the query and reads Lance: blocking work, kept off the event loop.
        return Mono.defer(() -> Mono.fromFuture(
                        queries.query(query, ResponseTypes.instanceOf(SearchResults.class))))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnSuccess(results -> usage.searched(caller.tenantId(), "rest"));
    }

    record SearchRequest(
            @NotBlank @Size(max = 2000) String query,
            @Min(1) @Max(100) @JsonProperty("top_k") Integer topK) {
    }
}
