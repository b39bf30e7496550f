package io.dynamicrag.app.web;

import io.dynamicrag.kernel.database.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * 503 problem+json with Retry-After for a database outage met before a controller runs: the API-key and JWT checks
 * read the account on every request, so while PostgreSQL is away the failure comes out of the security filter, which
 * {@link ApiExceptionHandler} never sees (Spring Boot's error handler answered those with a plain 500). Every other
 * failure is passed on unchanged.
 */
@Component
// before Spring Boot's ErrorWebExceptionHandler (-1), which would otherwise turn it into a 500
@Order(-2)
public class DatabaseUnavailableHandler implements WebExceptionHandler {

    /** The {@code detail} of the 503: what happened and what to do, without the driver's words. */
    public static final String DETAIL = "The database is unavailable right now (restarting or unreachable), so the "
            + "request was not completed; retry shortly, with the same Idempotency-Key for an ingest.";

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted() || !DatabaseUnavailable.causes(ex)) {
            return Mono.error(ex);
        }
        logUnavailable(exchange, ex);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS);
        return ProblemResponses.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
    }

    /** One line per request, without the stack: an outage answers many requests, each the same way. */
    static void logUnavailable(ServerWebExchange exchange, Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.warn("Database unavailable for {} {}: answered 503 ({})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), root.toString());
    }
}
