package io.dynamicrag.query.mcp;

import io.dynamicrag.query.search.SearchAdmission;
import io.dynamicrag.query.search.SearchOverloadedException;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;

/**
 * Sends a search on the query bus through the {@link SearchAdmission} (search handlers embed text and read the index:
 * blocking work, on the search pool); a search shed because the node is overloaded becomes a tool error that says to
 * try again.
 * A handler that refuses its input with {@link IllegalArgumentException} (e.g. a filter it cannot apply) is the
 * caller's problem to fix: its message becomes a tool error. Other failures stay internal.
 */
final class QueryBusCalls {

    private QueryBusCalls() {
    }

    static <R> Mono<R> search(SearchAdmission admission, QueryGateway queries, Object query, Class<R> responseType) {
        return admission.admit(() -> queries.query(query, ResponseTypes.instanceOf(responseType)))
                .onErrorMap(SearchOverloadedException.class, e -> new ToolError(e.getMessage() + " (in "
                        + e.retryAfterSeconds() + " s)"))
                .onErrorMap(QueryBusCalls::refusedInput, e -> new ToolError(refusal(e).getMessage()));
    }

    static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static boolean refusedInput(Throwable error) {
        IllegalArgumentException refusal = refusal(error);
        return refusal != null && refusal.getMessage() != null && !refusal.getMessage().isBlank();
    }

    /** The handler's own refusal only: not an IllegalArgumentException from deep inside a library. */
    private static IllegalArgumentException refusal(Throwable error) {
        Throwable unwrapped = error;
        while ((unwrapped instanceof java.util.concurrent.CompletionException
                || unwrapped instanceof java.util.concurrent.ExecutionException) && unwrapped.getCause() != null) {
            unwrapped = unwrapped.getCause();
        }
        return unwrapped instanceof IllegalArgumentException refusal ? refusal : null;
    }
}
