package io.dynamicrag.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.ratelimit.RateLimitConfiguration;
import io.dynamicrag.processing.storage.TestS3Server;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the real application (all roles) on a random port against the real PostgreSQL, in a fresh database and a
 * fresh data directory, and talks to it over HTTP like a client would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot tests switch metrics export off unless asked: /actuator/prometheus must answer as in production
@AutoConfigureObservability(tracing = false)
// the application's Clock: tests move it past a time to live or hold it inside one minute instead of sleeping
@Import(TestClock.class)
public abstract class IntegrationTest {

    protected static final String ADMIN_EMAIL = "ops-" + UUID.randomUUID() + "@example.com";
    protected static final String ADMIN_PASSWORD = "an-operator-password-0";
    /** The password of every tenant made by {@link #signUp()}. */
    protected static final String PASSWORD = "s3cret-passw0rd";
    protected static final String ALLOWED_ORIGIN = "https://dashboard.example.com";

    static {
        System.setProperty("DATABASE_URL", TestDatabase.url());
        System.setProperty("REDIS_URL", System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379"));
        System.setProperty("rag.admin.email", ADMIN_EMAIL);
        System.setProperty("rag.admin.password", ADMIN_PASSWORD);
        System.setProperty("rag.cors.allowed-origins", ALLOWED_ORIGIN);
        // URL ingestion refuses every non-public address by default; tests scrape a page on 127.0.0.1 only
        System.setProperty("rag.fetch.allowed-cidrs", "127.0.0.1/32");
        // Redis outlives a test run and every test logs in from 127.0.0.1: a per-address budget shared by
        // repeated runs would make tests flaky. The per-address throttle has its own test with its own limit.
        System.setProperty("rag.auth.login-throttle.per-address", "1000000");
        // on a loaded 2-core machine a Redis round trip can exceed the production 0.5 s, and the limiter would
        // then fail open; tests must see every request counted
        System.setProperty("rag.rate-limit.timeout", "PT5S");
        // fewer open-dataset slots than the tenants a test class makes: every test runs through LRU evictions
        // (one shared context: a class with its own properties would start a second pipeline on the same database)
        System.setProperty("rag.index.cache-size", "3");
        // the stall test ages a document in the read model rather than waiting; the aggregate still wants this much
        // quiet before a resume (the guard against two nodes restarting one document)
        System.setProperty("rag.pipeline.resume-quiet-period", "PT1S");
        try {
            System.setProperty("rag.data-dir", Files.createTempDirectory("rag-it-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Blobs go to a real S3-compatible server (S3Mock, started once per JVM), in a fresh bucket per JVM
        System.setProperty("rag.storage.type", "s3");
        System.setProperty("rag.storage.s3.endpoint", TestS3Server.endpoint());
        System.setProperty("rag.storage.s3.path-style", "true");
        System.setProperty("rag.storage.s3.region", TestS3Server.REGION);
        System.setProperty("rag.storage.s3.access-key", TestS3Server.ACCESS_KEY);
        System.setProperty("rag.storage.s3.secret-key", TestS3Server.SECRET_KEY);
        System.setProperty("rag.storage.s3.bucket", "rag-it-" + UUID.randomUUID().toString().substring(0, 12));
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected WebTestClient http;

    @Autowired
    protected TestClock clock;

    @Autowired
    private RateLimitConfiguration.RateLimitProperties rateLimits;

    @BeforeEach
    void longerTimeout() {
        http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    /** A test that held the application's clock never leaves it held for the next. */
    @AfterEach
    void releaseClock() {
        clock.release();
    }

    protected static Path dataDir() {
        return Path.of(System.getProperty("rag.data-dir"));
    }

    /** Signs up a new tenant with a unique email and returns what the API answered. */
    protected Tenant signUp() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        JsonNode body = http.post().uri("/api/auth/signup")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD, "company_name", "Acme"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body).isNotNull();
        return new Tenant(body.get("customer_id").asText(), email, body.get("api_key").asText(),
                body.get("token").asText());
    }

    /** Logs in and returns {token, refresh_token, expires_in}. */
    protected JsonNode login(String email, String password) {
        return http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /**
     * One admin session for the whole test JVM: every test class shares the context, and logging in per test would
     * run into the per-email login throttle (10 per 15 minutes) once enough classes need the admin.
     */
    protected String adminToken() {
        synchronized (IntegrationTest.class) {
            if (adminToken == null) {
                adminToken = login(ADMIN_EMAIL, ADMIN_PASSWORD).get("token").asText();
            }
            return adminToken;
        }
    }

    private static String adminToken;

    protected JsonNode ingest(Tenant tenant, Map<String, Object> document) {
        return http.post().uri("/api/ingest/document")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(document)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Polls the status endpoint until the document leaves "processing" (60 s at most), within the rate limit. */
    protected JsonNode awaitFinalStatus(Tenant tenant, String documentId) {
        RetryAfter limited = new RetryAfter();
        return awaitValue("document " + documentId + " leaves processing", Duration.ofSeconds(60),
                Duration.ofMillis(200), () -> {
                    if (limited.waiting()) {
                        return null;
                    }
                    var result = http.get().uri("/api/documents/{id}/status", documentId)
                            .header("X-API-Key", tenant.apiKey())
                            .exchange()
                            .expectBody(JsonNode.class).returnResult();
                    if (limited.answered(result.getStatus().value(),
                            result.getResponseHeaders().getFirst("Retry-After"))) {
                        return null;
                    }
                    assertThat(result.getStatus().value()).as("status of %s", documentId).isEqualTo(200);
                    return result.getResponseBody();
                }, status -> status != null && !"processing".equals(status.get("status").asText()));
    }

    /**
     * Polls {@code read} (Awaitility, every {@code every}) until {@code done} accepts its value, and returns that
     * value; fails the test after {@code timeout}, naming {@code what} and the last value seen. (Not Awaitility's
     * {@code until(Callable, Predicate)}: its matcher never passes a null value to the predicate.)
     */
    protected static <T> T awaitValue(String what, Duration timeout, Duration every, Callable<T> read,
                                      Predicate<? super T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(every).until(() -> {
                T value = read.call();
                last.set(value);
                return done.test(value);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not reached within " + timeout + "; last seen: " + last.get(), e);
        }
        return last.get();
    }

    /**
     * The rate-limit filter caches a tenant's limits for {@code rag.rate-limit.config-cache-ttl}: moves the clock
     * past that, so the next request reads the limits just changed instead of waiting the time to live out.
     */
    protected void expireCachedRateLimits() {
        clock.advance(rateLimits.configCacheTtl().plusSeconds(1));
    }

    protected JsonNode search(Tenant tenant, String query, int topK) {
        return http.post().uri("/search")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", query, "top_k", topK))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Waits (Awaitility, polling every 250 ms) until the condition holds; fails the test after {@code timeout}. */
    protected static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(condition::getAsBoolean);
    }

    /** A poll that was answered 429 asks again only after Retry-After; until then it reads as "not yet". */
    public static final class RetryAfter {

        private long notBefore = System.nanoTime();

        public boolean waiting() {
            return System.nanoTime() < notBefore;
        }

        /** True when the answer was 429 (then the next poll waits out its Retry-After). */
        public boolean answered(int status, String retryAfterSeconds) {
            if (status != 429) {
                return false;
            }
            notBefore = System.nanoTime() + Duration.ofSeconds(Long.parseLong(retryAfterSeconds)).toNanos();
            return true;
        }
    }

    public record Tenant(String id, String email, String apiKey, String token) {
    }
}
