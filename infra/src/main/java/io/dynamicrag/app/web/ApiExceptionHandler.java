package io.dynamicrag.app.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.dynamicrag.command.ingestion.DocumentBusyException;
import io.dynamicrag.command.ingestion.DocumentLimitReachedException;
import io.dynamicrag.command.ingestion.DocumentNotFoundException;
import io.dynamicrag.command.ingestion.IngestionRefusedException;
import io.dynamicrag.command.ingestion.InvalidDocumentException;
import io.dynamicrag.kernel.database.DatabaseUnavailable;
import io.dynamicrag.kernel.storage.StorageFullException;
import io.dynamicrag.kernel.storage.StorageUnavailableException;
import io.dynamicrag.kernel.web.WebPageFetcher;
import org.axonframework.modelling.command.AggregateNotFoundException;
import io.dynamicrag.command.tenancy.EmailAlreadyRegisteredException;
import io.dynamicrag.command.tenancy.InvalidConfigurationException;
import io.dynamicrag.command.tenancy.auth.AccountSuspendedException;
import io.dynamicrag.command.tenancy.auth.InvalidSessionException;
import io.dynamicrag.command.tenancy.auth.TooManyLoginAttemptsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

import java.util.stream.Collectors;

/**
 * Every error leaves as {@code application/problem+json} whose {@code detail} names the problem in terms of the
 * request (snake_case field names as the client sent them), never a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        String detail = ex.getFieldErrors().stream()
                .map(ApiExceptionHandler::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        if (detail.isEmpty()) {
            detail = ex.getGlobalErrors().stream().map(e -> e.getDefaultMessage()).collect(Collectors.joining("; "));
        }
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + detail);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return problem(HttpStatus.BAD_REQUEST, inputProblem(ex));
    }

    /** Framework errors that carry no detail (e.g. 413 for an oversized body) still get a sentence. */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (body == null && ex instanceof org.springframework.web.ErrorResponse error) {
            body = error.getBody();
        }
        if (body instanceof ProblemDetail problem && problem.getDetail() == null) {
            problem.setDetail(status.value() == HttpStatus.PAYLOAD_TOO_LARGE.value()
                    ? "The request body is larger than the service accepts"
                    : HttpStatus.valueOf(status.value()).getReasonPhrase());
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    @ExceptionHandler(EmailAlreadyRegisteredException.class)
    Mono<ResponseEntity<Object>> emailTaken(EmailAlreadyRegisteredException ex) {
        return problem(HttpStatus.CONFLICT, ex.getMessage());
    }

    @ExceptionHandler(InvalidConfigurationException.class)
    Mono<ResponseEntity<Object>> invalidConfiguration(InvalidConfigurationException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid configuration: " + ex.getMessage());
    }

    @ExceptionHandler(InvalidSessionException.class)
    Mono<ResponseEntity<Object>> invalidSession(InvalidSessionException ex) {
        return problem(HttpStatus.UNAUTHORIZED, ex.getMessage());
    }

    @ExceptionHandler(AccountSuspendedException.class)
    Mono<ResponseEntity<Object>> suspended(AccountSuspendedException ex) {
        return problem(HttpStatus.FORBIDDEN, ex.getMessage());
    }

    @ExceptionHandler(TooManyLoginAttemptsException.class)
    Mono<ResponseEntity<Object>> tooManyLogins(TooManyLoginAttemptsException ex) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
        return Mono.just(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body));
    }

    @ExceptionHandler(IngestionRefusedException.class)
    Mono<ResponseEntity<Object>> refused(IngestionRefusedException ex) {
        return problem(ex.status(), ex.getMessage());
    }

    @ExceptionHandler(DocumentLimitReachedException.class)
    Mono<ResponseEntity<Object>> documentLimit(DocumentLimitReachedException ex) {
        return problem(HttpStatus.CONFLICT, ex.getMessage());
    }

    @ExceptionHandler(DocumentBusyException.class)
    Mono<ResponseEntity<Object>> busy(DocumentBusyException ex) {
        // a passing state: Retry-After also tells the idempotency filter not to keep this answer
        return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage())));
    }

    /**
     * Another node appended to the same aggregate at the same moment, and the gateway's retries (about 5 s) did not
     * get through: nothing was changed, the client may send the request again.
     */
    @ExceptionHandler(org.axonframework.modelling.command.ConcurrencyException.class)
    Mono<ResponseEntity<Object>> concurrentChange(org.axonframework.modelling.command.ConcurrencyException ex) {
        return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The resource was changed by another "
                        + "request at the same moment and nothing was changed by this one; send it again")));
    }

    @ExceptionHandler({DocumentNotFoundException.class, AggregateNotFoundException.class})
    Mono<ResponseEntity<Object>> documentNotFound(Exception ex) {
        return problem(HttpStatus.NOT_FOUND, ex instanceof DocumentNotFoundException ? ex.getMessage()
                : "Not found");
    }

    @ExceptionHandler(WebPageFetcher.PageFetchException.class)
    Mono<ResponseEntity<Object>> pageFetch(WebPageFetcher.PageFetchException ex) {
        return problem(ex.refused() ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY, ex.getMessage());
    }

    @ExceptionHandler(InvalidDocumentException.class)
    Mono<ResponseEntity<Object>> invalidDocument(InvalidDocumentException ex) {
        return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
    }

    /**
     * A search this node shed because it is overloaded (its search queue full, or the search not started or not
     * answered in time): counted in {@code rag.search.shed}, not logged one by one.
     */
    @ExceptionHandler(io.dynamicrag.query.search.SearchOverloadedException.class)
    Mono<ResponseEntity<Object>> searchOverloaded(io.dynamicrag.query.search.SearchOverloadedException ex) {
        return unavailable(HttpStatus.SERVICE_UNAVAILABLE, Long.toString(ex.retryAfterSeconds()), ex.getMessage());
    }

    /**
     * Redis is down or too slow for a call that cannot do without it (issuing, refreshing or revoking sign-in
     * sessions): a temporary condition, so 503 with Retry-After instead of an internal error.
     */
    @ExceptionHandler(io.lettuce.core.RedisException.class)
    Mono<ResponseEntity<Object>> redisUnavailable(io.lettuce.core.RedisException ex, ServerWebExchange exchange) {
        log.warn("Redis unavailable for {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                ex.toString());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Sign-in sessions are unavailable right now (the session store cannot be reached); retry shortly. "
                        + "API keys keep working.");
        return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body));
    }

    /**
     * Everything no handler above took. Two kinds are not the server's fault and answer 503/507 with Retry-After:
     * the database away (a restart, an outage), and blob storage down (S3 unreachable or answering 5xx) or full (no
     * space left in the data directory), where nothing of the request was kept and sending it again later will
     * work. Both are looked for anywhere in the cause chain: Axon wraps a command's or query's failure
     * (CommandExecutionException, QueryExecutionException, JdbcException), and so may a reactive operator; a "no
     * space left" from any write counts as full. The rest is a 500.
     */
    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
        if (DatabaseUnavailable.causes(ex)) {
            DatabaseUnavailableHandler.logUnavailable(exchange, ex);
            return unavailable(HttpStatus.SERVICE_UNAVAILABLE, ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS,
                    DatabaseUnavailableHandler.DETAIL);
        }
        if (StorageFullException.isNoSpace(ex)) {
            log.warn("Storage full on {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.toString());
            return unavailable(HttpStatus.INSUFFICIENT_STORAGE, STORAGE_FULL_RETRY_AFTER_SECONDS, "The service's "
                    + "storage is full, so nothing was stored; send the request again once space has been freed");
        }
        StorageUnavailableException storage = StorageUnavailableException.in(ex);
        if (storage != null) {
            log.warn("Blob storage unavailable on {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), storage.getMessage());
            return unavailable(HttpStatus.SERVICE_UNAVAILABLE, ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS,
                    "Document storage is unavailable right now (it cannot be reached), so nothing was stored; "
                            + "retry shortly");
        }
        log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; the request was not completed");
    }

    /** A full disk lasts until someone frees space: clients should not come back every few seconds. */
    static final String STORAGE_FULL_RETRY_AFTER_SECONDS = "60";

    private static Mono<ResponseEntity<Object>> unavailable(HttpStatus status, String retryAfterSeconds, String detail) {
        return Mono.just(ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail)));
    }

    private static String describe(FieldError error) {
        return SNAKE.translate(error.getField()) + ": " + error.getDefaultMessage();
    }

    /** Malformed JSON, a wrong type or a missing body: say which, without echoing internals. */
    private static String inputProblem(ServerWebInputException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof DecodingException decoding) {
            Throwable root = decoding.getMostSpecificCause();
            String message = root.getMessage() == null ? "" : root.getMessage();
            int cut = message.indexOf('\n');
            message = cut > 0 ? message.substring(0, cut) : message;
            if (root instanceof com.fasterxml.jackson.core.JsonParseException) {
                return "Malformed JSON: " + message;
            }
            if (root instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                    && !mismatch.getPath().isEmpty()) {
                String field = mismatch.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."));
                return "Invalid value for " + field + ": " + message.replaceAll(" \\(class .*", "");
            }
            return "Invalid JSON body: " + message;
        }
        if (ex.getReason() != null && ex.getReason().contains("No request body")) {
            return "A JSON request body is required";
        }
        return ex.getReason() == null ? "Invalid request" : ex.getReason();
    }

    private static Mono<ResponseEntity<Object>> problem(HttpStatus status, String detail) {
        return Mono.just(ResponseEntity.status(status)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail)));
    }
}
