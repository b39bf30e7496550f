package io.dynamicrag.app.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.IntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.mockito.Mockito;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-tenant, per-endpoint limits through the real app, Redis and PostgreSQL. */
class TenantRateLimitFilterTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private RateLimiter limiter;

    @Autowired
    private MeterRegistry meters;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aBurstAdmitsExactlyTheTenantsPerMinuteLimitAndRejectsTheRestWithProblemDetails() throws Exception {
        Tenant alice = signUp();
        Tenant bob = signUp();
        // before alice's first authenticated request, so the filter caches the lowered limit
        lowerPerMinuteLimit(alice, 20);
        // the limiter counts fixed minutes: hold its clock inside one, so the burst cannot straddle two
        Instant now = clock.holdInsideOneMinute();
        double rejectionsBefore = rejections("GET /api/documents");

        List<ResponseEntity<String>> responses = burst(alice, 50);

        List<ResponseEntity<String>> ok = responses.stream().filter(r -> r.getStatusCode().value() == 200).toList();
        List<ResponseEntity<String>> tooMany =
                responses.stream().filter(r -> r.getStatusCode().value() == 429).toList();
        assertThat(ok).hasSize(20);
        assertThat(tooMany).hasSize(30);

        long nextMinute = now.getEpochSecond() / 60 * 60 + 60;
        ResponseEntity<String> admitted = ok.get(0);
        assertThat(admitted.getHeaders().getFirst(TenantRateLimitFilter.LIMIT_HEADER)).isEqualTo("20");
        assertThat(Long.parseLong(admitted.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)))
                .isBetween(0L, 19L);
        assertThat(ok).extracting(r -> r.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER))
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(0, 20).mapToObj(Integer::toString).toList());
        assertThat(admitted.getHeaders().getFirst(TenantRateLimitFilter.RESET_HEADER))
                .isEqualTo(Long.toString(nextMinute));

        ResponseEntity<String> rejected = tooMany.get(0);
        assertThat(rejected.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        long retryAfter = Long.parseLong(rejected.getHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(rejected.getHeaders().getFirst(TenantRateLimitFilter.LIMIT_HEADER)).isEqualTo("20");
        assertThat(rejected.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)).isEqualTo("0");
        assertThat(rejected.getHeaders().getFirst(TenantRateLimitFilter.RESET_HEADER))
                .isEqualTo(Long.toString(nextMinute));
        JsonNode problem = json.readTree(rejected.getBody());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("title").asText()).isEqualTo("Too Many Requests");
        assertThat(problem.get("detail").asText()).contains("20 requests per minute").contains("GET /api/documents");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/documents");
        assertThat(problem.get("error").asText()).isEqualTo("Rate limit exceeded");
        assertThat(problem.get("limit").asLong()).isEqualTo(20);
        assertThat(problem.get("reset").asLong()).isEqualTo(nextMinute);
        assertThat(problem.has("properties")).isFalse();

        // rejected requests were not counted: the shared counter holds exactly the admitted ones
        List<RateLimiter.WindowStatus> windows = limiter.status(alice.id() + ":GET /api/documents",
                List.of(RateLimiter.Window.perMinute(20), RateLimiter.Window.perDay(10_000))).block();
        assertThat(windows).extracting(RateLimiter.WindowStatus::count).containsExactly(20L, 20L);

        assertThat(rejections("GET /api/documents") - rejectionsBefore).isEqualTo(30.0);
        if (meters instanceof PrometheusMeterRegistry prometheus) {
            assertThat(prometheus.scrape()).contains("rag_rate_limit_rejections_total{endpoint=\"GET /api/documents\"");
        }

        // another tenant has its own bucket and the seed's default limit
        ResponseEntity<String> bobs = get(bob, "/api/documents");
        assertThat(bobs.getStatusCode().value()).isEqualTo(200);
        assertThat(bobs.getHeaders().getFirst(TenantRateLimitFilter.LIMIT_HEADER)).isEqualTo("60");
        assertThat(bobs.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)).isEqualTo("59");

        // alice's other endpoints have their own budget; ids in the path name one endpoint
        ResponseEntity<String> search = exchange(alice, HttpMethod.POST, "/search",
                Map.of("query", "anything", "top_k", 3));
        assertThat(search.getStatusCode().value()).isEqualTo(200);
        assertThat(search.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)).isEqualTo("19");
        ResponseEntity<String> first = get(alice, "/api/documents/" + UUID.randomUUID() + "/status");
        ResponseEntity<String> second = get(alice, "/api/documents/" + UUID.randomUUID() + "/status");
        assertThat(first.getStatusCode().value()).isEqualTo(404);
        assertThat(first.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)).isEqualTo("19");
        assertThat(second.getHeaders().getFirst(TenantRateLimitFilter.REMAINING_HEADER)).isEqualTo("18");
    }

    @Test
    void anonymousRequestsAndHealthAreNotCounted() {
        http.get().uri("/api/documents").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().doesNotExist(TenantRateLimitFilter.LIMIT_HEADER);
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(TenantRateLimitFilter.LIMIT_HEADER);
    }

    @Test
    void aJwtAndAnApiKeyOfOneTenantShareItsBudget() {
        Tenant carol = signUp();
        http.get().uri("/api/documents").header("X-API-Key", carol.apiKey()).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(TenantRateLimitFilter.REMAINING_HEADER, "59");
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + carol.token()).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(TenantRateLimitFilter.REMAINING_HEADER, "58");
    }

    @Test
    void endpointsAreNormalised() {
        String uuid = UUID.randomUUID().toString();
        assertThat(TenantRateLimitFilter.endpoint(HttpMethod.GET, "/api/documents/" + uuid + "/status"))
                .isEqualTo("GET /api/documents/{id}/status");
        assertThat(TenantRateLimitFilter.endpoint(HttpMethod.DELETE, "/api/documents/" + uuid.toUpperCase()))
                .isEqualTo("DELETE /api/documents/{id}");
        assertThat(TenantRateLimitFilter.endpoint(HttpMethod.GET, "/api/items/42/parts/7"))
                .isEqualTo("GET /api/items/{id}/parts/{id}");
        assertThat(TenantRateLimitFilter.endpoint(HttpMethod.POST, "/search")).isEqualTo("POST /search");
        assertThat(TenantRateLimitFilter.endpoint(HttpMethod.GET, "/api/v2x/a1")).isEqualTo("GET /api/v2x/a1");
        assertThat(TenantRateLimitFilter.isUncounted(HttpMethod.POST, "/api/auth/login")).isTrue();
        assertThat(TenantRateLimitFilter.isUncounted(HttpMethod.POST, "/api/auth/refresh/")).isTrue();
        assertThat(TenantRateLimitFilter.isUncounted(HttpMethod.GET, "/api/auth/me")).isFalse();
        assertThat(TenantRateLimitFilter.isUncounted(HttpMethod.GET, "/actuator/prometheus")).isTrue();
    }

    @Test
    void failsOpenWhenTheLimiterIsDownAndUsesTheSeedDefaultsWhenTheDatabaseIs() {
        RateLimiter down = new RateLimiter() {
            @Override
            public Mono<Decision> acquire(String bucket, List<Window> windows) {
                return Mono.error(new IllegalStateException("Redis is down"));
            }

            @Override
            public Mono<List<WindowStatus>> status(String bucket, List<Window> windows) {
                return Mono.error(new IllegalStateException("Redis is down"));
            }

            @Override
            public Mono<List<String>> activeBuckets(String prefix, Window window) {
                return Mono.error(new IllegalStateException("Redis is down"));
            }
        };
        RateLimiter hanging = new RateLimiter() {
            @Override
            public Mono<Decision> acquire(String bucket, List<Window> windows) {
                return Mono.never();
            }

            @Override
            public Mono<List<WindowStatus>> status(String bucket, List<Window> windows) {
                return Mono.never();
            }

            @Override
            public Mono<List<String>> activeBuckets(String prefix, Window window) {
                return Mono.never();
            }
        };
        for (RateLimiter limiter : List.of(down, hanging)) {
            standalone(limiter).get().uri("/api/documents").exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist(TenantRateLimitFilter.LIMIT_HEADER);
        }

        WebTestClient counted = standalone(new InMemoryRateLimiter(java.time.Clock.systemUTC()));
        counted.get().uri("/api/documents").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(TenantRateLimitFilter.LIMIT_HEADER, "60")
                .expectHeader().valueEquals(TenantRateLimitFilter.REMAINING_HEADER, "59");
    }

    /**
     * PostgreSQL restart drill: while customer_config could not be read, a tenant allowed 100000 requests a minute was
     * limited to the seed's 60 (cached for the time to live), and got 429s during the gap and after it.
     */
    @Test
    void keepsTheTenantsOwnLimitsWhileTheDatabaseCannotBeRead() {
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        TenantRateLimitFilter.LimitsReader reader = tenant -> {
            reads.incrementAndGet();
            return databaseUp.get()
                    ? Mono.just(new TenantRateLimitFilter.TenantLimits(100_000, 10_000_000))
                    : Mono.error(new DataAccessResourceFailureException(
                            "Failed to obtain R2DBC Connection"));
        };
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        TenantRateLimitFilter filter = new TenantRateLimitFilter(new InMemoryRateLimiter(java.time.Clock.systemUTC()),
                reader, new SimpleMeterRegistry(), new ObjectMapper(),
                new RateLimitConfiguration.RateLimitProperties(Duration.ofSeconds(5), Duration.ofMillis(200)), clock);
        WebTestClient client = behindSecurity(filter);

        client.get().uri("/api/documents").exchange()
                .expectStatus().isOk().expectHeader().valueEquals(TenantRateLimitFilter.LIMIT_HEADER, "100000");

        databaseUp.set(false);
        now.addAndGet(Duration.ofSeconds(6).toMillis());   // past the cached limits' time to live
        for (int i = 0; i < 3; i++) {
            client.get().uri("/api/documents").exchange()
                    .expectStatus().isOk().expectHeader().valueEquals(TenantRateLimitFilter.LIMIT_HEADER, "100000");
        }
        assertThat(reads.get()).as("a failed read is not cached: every request tries again").isEqualTo(4);

        databaseUp.set(true);
        client.get().uri("/api/documents").exchange()
                .expectStatus().isOk().expectHeader().valueEquals(TenantRateLimitFilter.LIMIT_HEADER, "100000");
        assertThat(reads.get()).isEqualTo(5);
    }

    /** The filter alone, behind a stand-in for Spring Security, with a database that cannot be reached. */
    private static WebTestClient standalone(RateLimiter limiter) {
        DatabaseClient unreachable = Mockito.mock(DatabaseClient.class, invocation -> {
            throw new IllegalStateException("database is down");
        });
        TenantRateLimitFilter filter = new TenantRateLimitFilter(limiter, unreachable, new SimpleMeterRegistry(),
                new ObjectMapper(),
                new RateLimitConfiguration.RateLimitProperties(Duration.ofSeconds(5), Duration.ofMillis(200)),
                java.time.Clock.systemUTC());
        return behindSecurity(filter);
    }

    /** {@code filter} behind a stand-in for Spring Security that has authenticated one tenant. */
    private static WebTestClient behindSecurity(TenantRateLimitFilter filter) {
        AuthenticatedTenant tenant = AuthenticatedTenant.byApiKey(TenantId.random(), "t@example.com", false);
        WebFilter authenticated = (exchange, chain) -> chain.filter(exchange).contextWrite(
                ReactiveSecurityContextHolder.withAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(tenant, null, List.of())));
        return WebTestClient.bindToWebHandler(exchange -> exchange.getResponse().setComplete())
                .webFilter(authenticated, filter)
                .build();
    }

    private void lowerPerMinuteLimit(Tenant tenant, int perMinute) {
        // the tenant projection writes the row; update it once it is there
        awaitTrue(Duration.ofSeconds(30), () -> jdbc.update(
                "UPDATE customer_config SET rate_limit_requests_per_minute = ? WHERE customer_id = ?::uuid",
                perMinute, tenant.id()) > 0);
    }

    private List<ResponseEntity<String>> burst(Tenant tenant, int requests) {
        WebClient client = WebClient.create("http://localhost:" + port);
        return Flux.range(0, requests)
                .flatMap(i -> client.get().uri("/api/documents")
                        .header("X-API-Key", tenant.apiKey())
                        .exchangeToMono(response -> response.toEntity(String.class)), requests)
                .collectList()
                .block(Duration.ofSeconds(60));
    }

    private ResponseEntity<String> get(Tenant tenant, String path) {
        return exchange(tenant, HttpMethod.GET, path, null);
    }

    private ResponseEntity<String> exchange(Tenant tenant, HttpMethod method, String path, Object body) {
        WebClient.RequestBodySpec request = WebClient.create("http://localhost:" + port)
                .method(method).uri(path).header("X-API-Key", tenant.apiKey());
        WebClient.RequestHeadersSpec<?> ready = body == null
                ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchangeToMono(response -> response.toEntity(String.class)).block(Duration.ofSeconds(60));
    }

    private double rejections(String endpoint) {
        Counter counter = meters.find(TenantRateLimitFilter.REJECTIONS_METRIC).tag("endpoint", endpoint).counter();
        return counter == null ? 0 : counter.count();
    }
}
