package io.dynamicrag.app.ratelimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Per-tenant, per-endpoint limits per minute and per UTC day, from the tenant's {@code customer_config}.
 *
 * <p>Runs after Spring Security's {@code WebFilterChainProxy} (order -100), so the verified
 * {@link AuthenticatedTenant} is in the Reactor context. Anonymous requests, {@code /actuator/**} and the auth
 * endpoints that take no credential (sign-up, login, refresh: throttled per email and address instead) are not
 * counted here. The bucket is {@code <tenant>:<METHOD> <path>} with id-like segments (UUIDs, numbers) replaced by
 * {@code {id}}, so {@code GET /api/documents/<uuid>/status} is one endpoint whatever the document.
 *
 * <p>Every counted response carries {@code X-RateLimit-Limit} (the per-minute limit), {@code X-RateLimit-Remaining}
 * (the smaller of the minute's and the day's remaining) and {@code X-RateLimit-Reset} (epoch seconds). Over a limit
 * the answer is 429 with {@code Retry-After} and a problem body that also carries the seed's
 * {@code {error, limit, reset}} as top-level properties.
 */
@Component
@Order(0)
public class TenantRateLimitFilter implements WebFilter {

    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String RESET_HEADER = "X-RateLimit-Reset";
    public static final String REJECTIONS_METRIC = "rag.rate.limit.rejections";

    private static final Logger log = LoggerFactory.getLogger(TenantRateLimitFilter.class);
    private static final Pattern UUID_SEGMENT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DIGITS_SEGMENT = Pattern.compile("[0-9]+");
    private static final Set<String> UNCOUNTED_POSTS =
            Set.of("/api/auth/signup", "/api/auth/login", "/api/auth/refresh");
    /** Endpoint tags beyond this many distinct values are reported as "other" (unknown paths must not blow up). */
    private static final int MAX_ENDPOINT_TAGS = 200;
    private static final long FAIL_OPEN_LOG_EVERY_MILLIS = 30_000;

    private final RateLimiter limiter;
    private final LimitsReader reader;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final Duration limiterTimeout;
    private final AsyncCache<TenantId, TenantLimits> limitsCache;
    /**
     * The limits last read for each tenant, kept past the cache's time to live: while customer_config cannot be read
     * (PostgreSQL restarting) a tenant keeps its own limits instead of the seed's 60 a minute, which turned a
     * database gap into 429s for tenants with higher limits (PostgreSQL restart drill).
     */
    private final Cache<TenantId, TenantLimits> lastRead = Caffeine.newBuilder().maximumSize(100_000).build();
    private final AtomicLong lastUnreadableLog = new AtomicLong();
    private final Set<String> endpointTags = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastFailOpenLog = new AtomicLong();

    @Autowired
    public TenantRateLimitFilter(RateLimiter limiter, DatabaseClient database, MeterRegistry meters,
                                 ObjectMapper objectMapper, RateLimitConfiguration.RateLimitProperties properties,
                                 ObjectProvider<Clock> clock) {
        this(limiter, database, meters, objectMapper, properties, clock.getIfAvailable(Clock::systemUTC));
    }

    /**
     * @param clock what the limits cache's time to live is measured by: the {@code Clock} bean where the context
     *              has one (integration tests move theirs past the time to live instead of waiting it out)
     */
    public TenantRateLimitFilter(RateLimiter limiter, DatabaseClient database, MeterRegistry meters,
                                 ObjectMapper objectMapper, RateLimitConfiguration.RateLimitProperties properties,
                                 Clock clock) {
        this(limiter, tenant -> readLimits(database, tenant), meters, objectMapper, properties, clock);
    }

    TenantRateLimitFilter(RateLimiter limiter, LimitsReader reader, MeterRegistry meters,
                          ObjectMapper objectMapper, RateLimitConfiguration.RateLimitProperties properties,
                          Clock clock) {
        this.limiter = limiter;
        this.reader = reader;
        this.meters = meters;
        // Boot's mapper (snake_case etc.); the mixin puts ProblemDetail's extra properties at the top level.
        this.json = objectMapper.copy().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);
        this.limiterTimeout = properties.timeout();
        this.limitsCache = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(properties.configCacheTtl())
                .maximumSize(100_000)
                .buildAsync();
    }

    /** Reads a tenant's limits from {@code customer_config}: empty while its row does not exist yet. */
    @FunctionalInterface
    interface LimitsReader {
        Mono<TenantLimits> read(TenantId tenant);
    }

    /** The tenant's limits from {@code customer_config} (seed defaults until its row exists). */
    record TenantLimits(long perMinute, long perDay) {

        List<RateLimiter.Window> windows() {
            return List.of(RateLimiter.Window.perMinute(perMinute), RateLimiter.Window.perDay(perDay));
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (isUncounted(request.getMethod(), path)) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(authentication -> authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof AuthenticatedTenant)
                .map(authentication -> (AuthenticatedTenant) authentication.getPrincipal())
                .flatMap(tenant -> decide(tenant.tenantId(), endpoint(request.getMethod(), path)))
                .defaultIfEmpty(Optional.empty())
                // not switchIfEmpty after chain.filter: a completed Mono<Void> is empty and would run the chain twice
                .flatMap(decision -> decision.isEmpty()
                        ? chain.filter(exchange)
                        : apply(exchange, chain, decision.get()));
    }

    public static boolean isUncounted(HttpMethod method, String path) {
        if (path.equals("/actuator") || path.startsWith("/actuator/")) {
            return true;
        }
        return HttpMethod.POST.equals(method) && UNCOUNTED_POSTS.contains(stripTrailingSlash(path));
    }

    /** {@code METHOD /path} with every UUID or all-digits segment replaced by {@code {id}}. */
    public static String endpoint(HttpMethod method, String path) {
        String[] segments = path.split("/", -1);
        StringBuilder normalised = new StringBuilder(path.length());
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                normalised.append('/');
            }
            String segment = segments[i];
            boolean id = UUID_SEGMENT.matcher(segment).matches() || DIGITS_SEGMENT.matcher(segment).matches();
            normalised.append(id ? "{id}" : segment);
        }
        return method.name() + " " + normalised;
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The decision, or empty when the limiter cannot answer (fail open). */
    private Mono<Optional<Decided>> decide(TenantId tenant, String endpoint) {
        String bucket = tenant + ":" + endpoint;
        return limits(tenant).flatMap(limits -> limiter.acquire(bucket, limits.windows())
                .timeout(limiterTimeout)
                .map(decision -> Optional.of(new Decided(endpoint, limits, decision)))
                // Fail open: when Redis is down or slow the API keeps answering (uncounted) instead of failing
                // every request with a 500; rate limiting protects capacity, it is not an authorisation check.
                // Logged at WARN, at most every 30 s so an outage does not flood the log.
                .onErrorResume(e -> {
                    logFailOpen(e);
                    return Mono.just(Optional.empty());
                }));
    }

    Mono<TenantLimits> limits(TenantId tenant) {
        // suppressCancel: concurrent first requests share one load; one client going away must not cancel it.
        // A failed load is not cached (Caffeine drops a future that failed): the next request reads again.
        return Mono.fromFuture(() -> limitsCache.get(tenant, (id, executor) -> loadLimits(id).toFuture()), true)
                .onErrorResume(e -> {
                    TenantLimits known = lastRead.getIfPresent(tenant);
                    logUnreadable(tenant, known != null, e);
                    return Mono.just(known != null ? known : seedDefaults());
                });
    }

    private Mono<TenantLimits> loadLimits(TenantId tenant) {
        return Mono.defer(() -> reader.read(tenant))
                // no row yet (the projection has not caught up): the seed's defaults apply
                .defaultIfEmpty(seedDefaults())
                .doOnNext(limits -> lastRead.put(tenant, limits));
    }

    private static Mono<TenantLimits> readLimits(DatabaseClient database, TenantId tenant) {
        TenantLimits seedDefaults = seedDefaults();
        return database.sql("SELECT rate_limit_requests_per_minute, rate_limit_requests_per_day "
                        + "FROM customer_config WHERE customer_id = :id")
                .bind("id", tenant.value())
                .map((row, meta) -> new TenantLimits(
                        numberOr(row.get(0, Integer.class), seedDefaults.perMinute()),
                        numberOr(row.get(1, Integer.class), seedDefaults.perDay())))
                .one();
    }

    private static TenantLimits seedDefaults() {
        TenantConfiguration defaults = TenantConfiguration.defaults();
        return new TenantLimits(defaults.rateLimitRequestsPerMinute(), defaults.rateLimitRequestsPerDay());
    }

    /** At most every 30 s: while the database is away every request would log it. */
    private void logUnreadable(TenantId tenant, boolean known, Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastUnreadableLog.get();
        if (now - last >= FAIL_OPEN_LOG_EVERY_MILLIS && lastUnreadableLog.compareAndSet(last, now)) {
            log.warn("Cannot read the rate limits of tenant {}; using {}: {}", tenant,
                    known ? "the limits read last" : "the defaults", e.toString());
        }
    }

    private static long numberOr(Integer value, long fallback) {
        return value == null ? fallback : Math.max(0, value);
    }

    private Mono<Void> apply(ServerWebExchange exchange, WebFilterChain chain, Decided decided) {
        RateLimiter.Decision decision = decided.decision();
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders headers = response.getHeaders();
        headers.set(LIMIT_HEADER, Long.toString(decided.limits().perMinute()));
        headers.set(REMAINING_HEADER, Long.toString(decision.remaining()));
        headers.set(RESET_HEADER, Long.toString(decision.resetEpochSeconds()));
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        meters.counter(REJECTIONS_METRIC, "endpoint", endpointTag(decided.endpoint())).increment();
        return reject(exchange, decided);
    }

    private Mono<Void> reject(ServerWebExchange exchange, Decided decided) {
        RateLimiter.Decision decision = decided.decision();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Rate limit of " + decision.limit() + " requests per " + decision.window().describe()
                        + " exceeded for " + decided.endpoint() + "; retry after " + decision.retryAfterSeconds()
                        + " seconds.");
        problem.setTitle(HttpStatus.TOO_MANY_REQUESTS.getReasonPhrase());
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        problem.setProperty("error", "Rate limit exceeded");
        problem.setProperty("limit", decision.limit());
        problem.setProperty("reset", decision.resetEpochSeconds());

        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            body = ("{\"status\":429,\"error\":\"Rate limit exceeded\",\"limit\":" + decision.limit()
                    + ",\"reset\":" + decision.resetEpochSeconds() + "}").getBytes();
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private String endpointTag(String endpoint) {
        if (endpointTags.contains(endpoint)) {
            return endpoint;
        }
        if (endpointTags.size() < MAX_ENDPOINT_TAGS) {
            endpointTags.add(endpoint);
            return endpoint;
        }
        return "other";
    }

    private void logFailOpen(Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastFailOpenLog.get();
        if (now - last >= FAIL_OPEN_LOG_EVERY_MILLIS && lastFailOpenLog.compareAndSet(last, now)) {
            log.warn("Rate limiter unavailable, letting requests through uncounted (fail open): {}", e.toString());
        }
    }

    private record Decided(String endpoint, TenantLimits limits, RateLimiter.Decision decision) {
    }
}
