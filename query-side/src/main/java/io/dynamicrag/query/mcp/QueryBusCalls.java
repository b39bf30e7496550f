package io.dynamicrag.query.mcp;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a query on the query bus off the event loop (search handlers embed text and read the index: blocking work).
 * A handler that refuses its input with {@link IllegalArgumentException} (e.g. a filter it cannot apply) is the
 * caller's problem to fix: its message becomes a tool error. Other failures stay internal.
 */
final class QueryBusCalls {

    private QueryBusCalls() {
    }

    static <R> Mono<R> query(QueryGateway queries, Object query, Class<R> responseType) {
        return Mono.defer(() -> Mono.fromFuture(queries.query(query, ResponseTypes.instanceOf(responseType))))
                .subscribeOn(Schedulers.boundedElastic())
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
