package io.dynamicrag.app.web;

import io.dynamicrag.kernel.database.DatabaseUnavailable;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures caused by PostgreSQL being away answer 503 problem+json with Retry-After, however they are wrapped, from a
 * controller and from a filter (issue 15, PostgreSQL restart drill: with the embedded PostgreSQL killed, 4 requests
 * in flight got 500); every other failure stays a 500.
 */
class DatabaseUnavailableTest {

    /** Hikari's answer while no connection can be opened: the driver's refusal is its cause. */
    private static final SQLTransientConnectionException HIKARI_TIMEOUT = new SQLTransientConnectionException(
            "jdbc - Connection is not available, request timed out after 3000ms", "08001",
            new PSQLException("Connection to 127.0.0.1:5433 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
                    new ConnectException("Connection refused")));

    private static final Map<String, RuntimeException> UNAVAILABLE = Map.of(
            "command", new CommandExecutionException("Command failed",
                    new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", HIKARI_TIMEOUT)),
            "query", new QueryExecutionException("Query failed", new DataAccessResourceFailureException(
                    "Failed to obtain R2DBC Connection", new R2dbcNonTransientResourceException("Connection refused"))),
            "event-store", new JdbcException("Failed to obtain a database connection", HIKARI_TIMEOUT),
            "fast-shutdown", new RuntimeException(new PSQLException(
                    "FATAL: terminating connection due to administrator command", PSQLState.COMMUNICATION_ERROR)),
            "admin-shutdown", new IllegalStateException(
                    new SQLException("terminating connection due to administrator command", "57P01")),
            "starting-up", new RuntimeException(new SQLException("the database system is starting up", "57P03")),
            "r2dbc-shutdown", new org.springframework.r2dbc.UncategorizedR2dbcException("executeMany", "SELECT 1",
                    new io.r2dbc.spi.R2dbcException("terminating connection due to administrator command", "57P01") {
                    }),
            "evicted-connection", new RuntimeException("embed failed", new JdbcException(
                    "Failed to create a SQL statement", new SQLException("Connection is closed"))),
            "no-transaction", new org.springframework.transaction.CannotCreateTransactionException(
                    "Could not open JDBC Connection for transaction", HIKARI_TIMEOUT));

    private static final Map<String, RuntimeException> OTHER = Map.of(
            "duplicate", new DuplicateKeyException("duplicate key", new SQLException("duplicate key", "23505")),
            "r2dbc-constraint", new QueryExecutionException("Query failed",
                    new R2dbcDataIntegrityViolationException("violates check constraint", "23514")),
            "syntax", new CommandExecutionException("Command failed", new SQLException("syntax error", "42601")),
            // e.g. an OpenAI-compatible embeddings server that is down: not the database
            "other-server", new IllegalStateException("embeddings", new ConnectException("Connection refused")),
            "plain", new IllegalStateException("a bug"));

    private final WebTestClient controllers = WebTestClient.bindToController(new Failing())
            .controllerAdvice(new ApiExceptionHandler())
            .build();

    @Test
    void shouldRecogniseAConnectionFailureWhereverItIsWrapped() {
        UNAVAILABLE.forEach((name, failure) -> assertThat(DatabaseUnavailable.causes(failure)).as(name).isTrue());
        OTHER.forEach((name, failure) -> assertThat(DatabaseUnavailable.causes(failure)).as(name).isFalse());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenAControllerMeetsTheDatabaseAway() {
        for (String name : UNAVAILABLE.keySet()) {
            controllers.get().uri("/fail/{name}", name).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS)
                    .expectBody().jsonPath("$.detail").isEqualTo(DatabaseUnavailableHandler.DETAIL);
        }
    }

    @Test
    void shouldKeepOtherControllerFailuresA500() {
        controllers.get().uri("/fail/{name}", "syntax").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER);
    }

    @Test
    void shouldAnswer503WhenAFilterMeetsTheDatabaseAway() {
        // the API-key check reads the account through Hikari before any controller runs
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/documents"));

        new DatabaseUnavailableHandler().handle(exchange, UNAVAILABLE.get("command").getCause()).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo(ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains(DatabaseUnavailableHandler.DETAIL);
    }

    @Test
    void shouldPassOtherFilterFailuresOn() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/documents"));
        RuntimeException other = OTHER.get("other-server");

        Mono<Void> handled = new DatabaseUnavailableHandler().handle(exchange, other);

        assertThatThrownBy(handled::block).as("left to the next handler").isSameAs(other);
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @RestController
    static class Failing {
        @GetMapping("/fail/{name}")
        Mono<String> fail(@PathVariable String name) {
            RuntimeException failure = UNAVAILABLE.containsKey(name) ? UNAVAILABLE.get(name) : OTHER.get(name);
            return Mono.error(failure);
        }
    }
}
