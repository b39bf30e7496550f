package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrivateRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick form of {@code scripts/drill.sh redis}: the application runs against a Redis of this test's own, which
 * is killed for a few seconds and started again (empty: no persistence). While it is down API keys keep working
 * and fast: the rate limiter and the idempotency store fail open (answers carry no X-RateLimit-* headers: the
 * request was not counted), a JWT whose revocation cannot be checked gets 503 with Retry-After (not a 500, not a
 * 401), and so does a login (its session cannot be stored); a sign-up still answers 201 with its one-time API key.
 * Once Redis is back, requests are counted again within seconds and JWTs work again.
 *
 * <p>Its own Redis makes a context of its own: closed after the class (see LongPipelineStepIntegrationTest).
 */
@DirtiesContext
class RedisOutageIntegrationTest extends IntegrationTest {

    /** The answer time allowed during the outage: Lettuce's queueing made it 5 s (the command timeout) before. */
    private static final Duration FAST = Duration.ofSeconds(2);
    private static final PrivateRedis REDIS = PrivateRedis.start();

    @DynamicPropertySource
    static void privateRedis(DynamicPropertyRegistry registry) {
        registry.add("rag.redis.url", REDIS::url);
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void apiKeysKeepWorkingWhileRedisIsDownJwtsAre503AndAllRecoversWhenItIsBack() {
        Tenant tenant = signUp();
        assertThat(listWithKey(tenant).getResponseHeaders().getFirst("X-RateLimit-Limit"))
                .as("counted while Redis is up").isNotNull();
        assertThat(listWithJwt(tenant).getStatus().value()).isEqualTo(200);

        REDIS.kill();
        long outageStarted = System.nanoTime();

        EntityExchangeResult<JsonNode> byKey = timed("GET /api/documents with an API key", () -> listWithKey(tenant));
        assertThat(byKey.getStatus().value()).isEqualTo(200);
        assertThat(byKey.getResponseHeaders().getFirst("X-RateLimit-Limit"))
                .as("the limiter failed open: not counted").isNull();

        EntityExchangeResult<JsonNode> accepted = timed("an ingest with an Idempotency-Key", () ->
                http.post().uri("/api/ingest/document")
                        .header("X-API-Key", tenant.apiKey())
                        .header("Idempotency-Key", "outage-" + UUID.randomUUID())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("title", "During the outage", "doc_type", "txt",
                                "content", "Written while the shared Redis was down."))
                        .exchange()
                        .expectBody(JsonNode.class).returnResult());
        assertThat(accepted.getStatus().value()).isEqualTo(202);

        EntityExchangeResult<JsonNode> byJwt = timed("GET /api/documents with a JWT", () -> listWithJwt(tenant));
        assertThat(byJwt.getStatus().value()).as("JWT while Redis is down: %s", byJwt.getResponseBody())
                .isEqualTo(503);
        assertThat(byJwt.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(byJwt.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();
        assertThat(byJwt.getResponseBody().get("detail").asText()).contains("API key");

        EntityExchangeResult<JsonNode> login = timed("a login", () -> http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", tenant.email(), "password", PASSWORD))
                .exchange()
                .expectBody(JsonNode.class).returnResult());
        assertThat(login.getStatus().value()).as("login while Redis is down: %s", login.getResponseBody())
                .isEqualTo(503);
        assertThat(login.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotNull();

        // the account is made and its one-time API key handed over, with an access token but no refresh token
        // (before: the account was made, then the answer was an error and the key was lost)
        Tenant newcomer = timed("a sign-up", this::signUp);
        assertThat(listWithKey(newcomer).getStatus().value()).isEqualTo(200);

        // a short outage, as the drill's 60 s one is too long for the test suite
        awaitTrue(Duration.ofSeconds(10), () -> System.nanoTime() - outageStarted >= Duration.ofSeconds(5).toNanos());
        REDIS.startAgain();
        long restarted = System.nanoTime();

        awaitValue("requests are counted again", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> listWithKey(tenant).getResponseHeaders().getFirst("X-RateLimit-Limit"), limit -> limit != null);
        awaitValue("JWTs work again", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> listWithJwt(tenant).getStatus().value(), status -> status == 200);
        Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
        // reconnect attempts are at most 1 s apart (Lettuce's default backs off towards 30 s)
        assertThat(recovery).as("time from the restart to normal service").isLessThan(Duration.ofSeconds(3));

        JsonNode status = awaitFinalStatus(tenant, accepted.getResponseBody().get("document_id").asText());
        assertThat(status.get("status").asText()).isEqualTo("completed");
    }

    private EntityExchangeResult<JsonNode> listWithKey(Tenant tenant) {
        return http.get().uri("/api/documents?size=1")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectBody(JsonNode.class).returnResult();
    }

    private EntityExchangeResult<JsonNode> listWithJwt(Tenant tenant) {
        return http.get().uri("/api/documents?size=1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenant.token())
                .exchange()
                .expectBody(JsonNode.class).returnResult();
    }

    private static <T> T timed(String what, Supplier<T> call) {
        long started = System.nanoTime();
        T result = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answer time of %s while Redis is down", what)
                .isLessThan(FAST);
        return result;
    }
}
