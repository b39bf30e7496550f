package io.dynamicrag.app.ratelimit;

import io.dynamicrag.app.ratelimit.RateLimiter.Decision;
import io.dynamicrag.app.ratelimit.RateLimiter.Window;
import io.dynamicrag.app.ratelimit.RateLimiter.WindowStatus;
import io.dynamicrag.app.redis.RedisConfiguration;
import io.dynamicrag.command.tenancy.auth.LoginAttempts;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link RateLimiter} adapter passes: the abstract {@link Contract} with one subclass per
 * adapter (Redis at {@code TEST_REDIS_URL}, in-process). Every test uses its own bucket keys.
 */
class RateLimiterContractTest {

    /** 2030-06-15T12:00:15.300Z: 15.3 s into a minute, so the minute resets in 44.7 s. */
    static final Instant T0 = Instant.parse("2030-06-15T12:00:15.300Z");
    static final long NEXT_MINUTE = Instant.parse("2030-06-15T12:01:00Z").getEpochSecond();
    static final long NEXT_DAY = Instant.parse("2030-06-16T00:00:00Z").getEpochSecond();

    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;

    static synchronized StatefulRedisConnection<String, String> redis() {
        if (redis == null) {
            redisClient = RedisClient.create(
                    System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379"));
            redis = redisClient.connect();
        }
        return redis;
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
            redisClient.shutdown();
        }
    }

    @Nested
    class Redis extends Contract {

        @Override
        RateLimiter create(Clock clock) {
            return new RedisRateLimiter(redis(), clock);
        }

        @Test
        void countersAreKeyedByBucketWindowAndStartAndExpireAfterTheirWindow() {
            String bucket = bucket();
            acquire(bucket, List.of(Window.perMinute(5), Window.perDay(100)));

            String minuteKey = "rl:{" + bucket + "}:60:" + (NEXT_MINUTE - 60);
            String dayKey = "rl:{" + bucket + "}:86400:" + (NEXT_DAY - 86_400);
            assertThat(redis().sync().get(minuteKey)).isEqualTo("1");
            assertThat(redis().sync().get(dayKey)).isEqualTo("1");
            assertThat(redis().sync().ttl(minuteKey)).isBetween(61L, 60L + RedisRateLimiter.EXPIRY_MARGIN_SECONDS);
            assertThat(redis().sync().ttl(dayKey)).isBetween(86_401L,
                    86_400L + RedisRateLimiter.EXPIRY_MARGIN_SECONDS);
        }

        @Test
        void bracesInTheBucketCannotBreakTheHashTag() {
            String bucket = "tenant:GET /api/documents/{id}/status:" + UUID.randomUUID();
            acquire(bucket, List.of(Window.perMinute(5)));

            assertThat(RedisRateLimiter.key(bucket, Window.perMinute(5), clock.instant()))
                    .startsWith("rl:{tenant:GET /api/documents/(id)/status:")
                    .matches("rl:\\{[^{}]+}:60:\\d+");
        }

        @Test
        void reloadsTheScriptWhenRedisDoesNotKnowIt() {
            RedisRateLimiter fresh = new RedisRateLimiter(redis(), clock);
            fresh.sha.set("0000000000000000000000000000000000000000"); // as after SCRIPT FLUSH or a restart

            Decision decision = fresh.acquire(bucket(), List.of(Window.perMinute(1))).block();

            assertThat(decision.allowed()).isTrue();
        }
    }

    @Nested
    class InMemory extends Contract {

        @Override
        RateLimiter create(Clock clock) {
            return new InMemoryRateLimiter(clock);
        }

        @Test
        void evictsBucketsWhoseWindowsHaveEnded() {
            InMemoryRateLimiter memory = (InMemoryRateLimiter) limiter;
            for (int i = 0; i < 10; i++) {
                acquire(bucket(), List.of(Window.perMinute(5), Window.perDay(100)));
            }
            assertThat(memory.bucketCount()).isEqualTo(10);

            clock.advance(Duration.ofDays(2));
            acquire(bucket(), List.of(Window.perMinute(5)));

            assertThat(memory.bucketCount()).isEqualTo(1);
        }
    }

    /** Which adapter the application wires: decided by rag.redis.url (REDIS_URL), like RedisConfiguration. */
    @Nested
    class Wiring {

        final ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(RedisConfiguration.class, RateLimitConfiguration.class);

        @Test
        void inProcessWithoutRedisUrl() {
            runner.withPropertyValues("rag.redis.url=").run(context -> {
                assertThat(context).hasSingleBean(RateLimiter.class);
                assertThat(context.getBean(RateLimiter.class)).isInstanceOf(InMemoryRateLimiter.class);
                assertThat(context).hasSingleBean(LoginAttempts.class);
                assertThat(context).doesNotHaveBean(StatefulRedisConnection.class);
            });
        }

        @Test
        void redisWithRedisUrl() {
            runner.withPropertyValues("rag.redis.url="
                    + System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379")).run(context -> {
                assertThat(context).hasSingleBean(RateLimiter.class);
                assertThat(context.getBean(RateLimiter.class)).isInstanceOf(RedisRateLimiter.class);
                assertThat(context.getBean(LoginAttempts.class).tryAttempt("w-" + UUID.randomUUID() + "@x.io",
                        "127.0.0.1").block(Duration.ofSeconds(10)).allowed()).isTrue();
            });
        }
    }

    /** Login throttling on top of the limiter (in-process here; the windows are the contract's). */
    @Nested
    class LoginThrottle {

        final MutableClock clock = new MutableClock(T0);
        final InMemoryRateLimiter memory = new InMemoryRateLimiter(clock);

        RateLimitedLoginAttempts attempts(RateLimiter limiter, long perEmail, long perAddress) {
            return new RateLimitedLoginAttempts(limiter, memory, perEmail, perAddress, Duration.ofMinutes(15),
                    Duration.ofSeconds(1));
        }

        LoginAttempts.Verdict attempt(RateLimitedLoginAttempts attempts, String email, String address) {
            return attempts.tryAttempt(email, address).block(Duration.ofSeconds(10));
        }

        @Test
        void throttlesPerEmailWhateverItsCaseAndWhicheverAddress() {
            RateLimitedLoginAttempts attempts = attempts(memory, 3, 100);
            String email = "Someone-" + UUID.randomUUID() + "@Example.com";
            assertThat(attempt(attempts, email, "10.0.0.1").allowed()).isTrue();
            assertThat(attempt(attempts, email.toLowerCase(), "10.0.0.2").allowed()).isTrue();
            assertThat(attempt(attempts, email.toUpperCase(), "10.0.0.3").allowed()).isTrue();

            var verdict = attempt(attempts, email, "10.0.0.4");

            assertThat(verdict.allowed()).isFalse();
            // 15-minute windows are aligned to the epoch: T0 (12:00:15.3) is in 12:00-12:15
            assertThat(verdict.retryAfterSeconds()).isEqualTo(15 * 60 - 15);
            assertThat(attempt(attempts, "other-" + UUID.randomUUID() + "@example.com", "10.0.0.4").allowed())
                    .isTrue();
            clock.advance(Duration.ofMinutes(15));
            assertThat(attempt(attempts, email, "10.0.0.5").allowed()).isTrue();
        }

        @Test
        void throttlesPerAddressAndThenStopsSpendingTheEmailsBudget() {
            RateLimitedLoginAttempts attempts = attempts(memory, 3, 2);
            String address = "192.0.2." + UUID.randomUUID();
            String victim = "victim-" + UUID.randomUUID() + "@example.com";
            assertThat(attempt(attempts, "a-" + UUID.randomUUID() + "@example.com", address).allowed()).isTrue();
            assertThat(attempt(attempts, victim, address).allowed()).isTrue();

            for (int i = 0; i < 5; i++) {
                assertThat(attempt(attempts, victim, address).allowed()).isFalse();
            }

            // the blocked address spent one of the victim's three attempts, not six
            assertThat(attempt(attempts, victim, "198.51.100.7").allowed()).isTrue();
            assertThat(attempt(attempts, victim, "198.51.100.8").allowed()).isTrue();
            assertThat(attempt(attempts, victim, "198.51.100.9").allowed()).isFalse();
        }

        @Test
        void fallsBackToTheInProcessLimiterWhenTheSharedOneFails() {
            RateLimiter broken = new RateLimiter() {
                @Override
                public reactor.core.publisher.Mono<Decision> acquire(String bucket, List<Window> windows) {
                    return reactor.core.publisher.Mono.error(new IllegalStateException("Redis is down"));
                }

                @Override
                public reactor.core.publisher.Mono<List<WindowStatus>> status(String bucket, List<Window> w) {
                    return reactor.core.publisher.Mono.error(new IllegalStateException("Redis is down"));
                }

                @Override
                public reactor.core.publisher.Mono<List<String>> activeBuckets(String prefix, Window window) {
                    return reactor.core.publisher.Mono.error(new IllegalStateException("Redis is down"));
                }
            };
            RateLimitedLoginAttempts attempts = attempts(broken, 2, 100);
            String email = "x-" + UUID.randomUUID() + "@example.com";

            assertThat(attempt(attempts, email, null).allowed()).isTrue();
            assertThat(attempt(attempts, email, null).allowed()).isTrue();
            assertThat(attempt(attempts, email, null).allowed()).isFalse();
        }
    }

    abstract static class Contract {

        MutableClock clock;
        RateLimiter limiter;

        abstract RateLimiter create(Clock clock);

        @BeforeEach
        void setUp() {
            clock = new MutableClock(T0);
            limiter = create(clock);
        }

        static String bucket() {
            return "test:" + UUID.randomUUID();
        }

        Decision acquire(String bucket, List<Window> windows) {
            return limiter.acquire(bucket, windows).block(Duration.ofSeconds(10));
        }

        List<WindowStatus> status(String bucket, List<Window> windows) {
            return limiter.status(bucket, windows).block(Duration.ofSeconds(10));
        }

        @Test
        void admitsUpToTheLimitThenRejects() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(3), Window.perDay(100));

            List<Decision> decisions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                decisions.add(acquire(bucket, windows));
            }

            assertThat(decisions).extracting(Decision::allowed).containsExactly(true, true, true, false, false);
            assertThat(decisions).extracting(Decision::remaining).containsExactly(2L, 1L, 0L, 0L, 0L);
            assertThat(decisions).extracting(Decision::limit).containsOnly(3L);
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(3L, 3L);
        }

        @Test
        void listsTheBucketsWithAPrefixThatCountedInTheCurrentWindow() {
            String tenant = "tenant-" + UUID.randomUUID() + ":";
            List<Window> windows = List.of(Window.perMinute(10), Window.perDay(100));
            acquire(tenant + "GET /api/documents", windows);
            acquire(tenant + "GET /api/documents", windows);
            acquire(tenant + "POST /search {x}", windows);
            acquire("other-" + UUID.randomUUID() + ":GET /api/documents", windows);

            assertThat(limiter.activeBuckets(tenant, Window.perDay(100)).block(Duration.ofSeconds(10)))
                    .containsExactlyInAnyOrder(tenant + "GET /api/documents", tenant + "POST /search (x)");
            assertThat(status(tenant + "POST /search (x)", windows)).extracting(WindowStatus::count)
                    .containsExactly(1L, 1L);

            clock.advance(Duration.ofDays(1));
            assertThat(limiter.activeBuckets(tenant, Window.perDay(100)).block(Duration.ofSeconds(10))).isEmpty();
        }

        @Test
        void remainingIsTheMinimumOverAllWindows() {
            String bucket = bucket();
            Decision decision = acquire(bucket, List.of(Window.perMinute(10), Window.perDay(4)));

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(3);
            // the minute is the binding window while the request is admitted
            assertThat(decision.window()).isEqualTo(Window.perMinute(10));
            assertThat(decision.limit()).isEqualTo(10);
        }

        @Test
        void admitsExactlyTheLimitUnderConcurrency() throws Exception {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(20), Window.perDay(1000));
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Decision>> futures = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return acquire(bucket, windows);
                    }));
                }
                start.countDown();
                long admitted = 0;
                for (Future<Decision> f : futures) {
                    if (f.get(30, TimeUnit.SECONDS).allowed()) {
                        admitted++;
                    }
                }

                assertThat(admitted).isEqualTo(20);
                assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(20L, 20L);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void admitsExactlyTheLimitUnderReactiveConcurrency() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(20), Window.perDay(1000));

            List<Decision> decisions = Flux.range(0, 50)
                    .flatMap(i -> limiter.acquire(bucket, windows), 50)
                    .collectList()
                    .block(Duration.ofSeconds(30));

            assertThat(decisions).filteredOn(Decision::allowed).hasSize(20);
            assertThat(decisions).filteredOn(Decision::allowed).extracting(Decision::remaining)
                    .containsExactlyInAnyOrder(19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L, 11L, 10L,
                            9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        }

        @Test
        void aRejectedRequestConsumesNothingFromTheOtherWindows() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(5), Window.perDay(2));
            assertThat(acquire(bucket, windows).allowed()).isTrue();
            assertThat(acquire(bucket, windows).allowed()).isTrue();

            Decision rejected = acquire(bucket, windows);

            assertThat(rejected.allowed()).isFalse();
            assertThat(rejected.window()).isEqualTo(Window.perDay(2));
            assertThat(rejected.limit()).isEqualTo(2);
            assertThat(rejected.resetEpochSeconds()).isEqualTo(NEXT_DAY);
            // the minute still holds the two admitted requests, not three
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(2L, 2L);

            // and the day stays exhausted when the minute rolls over
            clock.advance(Duration.ofMinutes(1));
            assertThat(acquire(bucket, windows).allowed()).isFalse();
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(0L, 2L);
        }

        @Test
        void resetAndRetryAfterNameTheEndOfTheBindingWindow() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(1), Window.perDay(100));

            Decision admitted = acquire(bucket, windows);
            assertThat(admitted.allowed()).isTrue();
            assertThat(admitted.resetEpochSeconds()).isEqualTo(NEXT_MINUTE);
            assertThat(admitted.retryAfterSeconds()).isZero();

            Decision rejected = acquire(bucket, windows);
            assertThat(rejected.allowed()).isFalse();
            assertThat(rejected.window()).isEqualTo(Window.perMinute(1));
            assertThat(rejected.resetEpochSeconds()).isEqualTo(NEXT_MINUTE);
            assertThat(rejected.retryAfterSeconds()).isEqualTo(45); // 44.7 s, rounded up

            clock.set(Instant.ofEpochSecond(NEXT_MINUTE).minusMillis(10));
            assertThat(acquire(bucket, windows).retryAfterSeconds()).isEqualTo(1); // never 0 while rejected
        }

        @Test
        void whenSeveralWindowsAreFullTheOneThatResetsLastBinds() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(1), Window.perDay(1));
            acquire(bucket, windows);

            Decision rejected = acquire(bucket, windows);

            assertThat(rejected.window()).isEqualTo(Window.perDay(1));
            assertThat(rejected.resetEpochSeconds()).isEqualTo(NEXT_DAY);
            assertThat(rejected.retryAfterSeconds())
                    .isEqualTo(NEXT_DAY - T0.getEpochSecond()); // T0 has 300 ms: rounded up to the whole second
        }

        @Test
        void windowsRollOver() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(2), Window.perDay(5));
            acquire(bucket, windows);
            acquire(bucket, windows);
            assertThat(acquire(bucket, windows).allowed()).isFalse();

            clock.set(Instant.ofEpochSecond(NEXT_MINUTE)); // first instant of the next minute
            Decision next = acquire(bucket, windows);
            assertThat(next.allowed()).isTrue();
            assertThat(next.resetEpochSeconds()).isEqualTo(NEXT_MINUTE + 60);
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(1L, 3L);

            clock.set(Instant.ofEpochSecond(NEXT_DAY).plusSeconds(5)); // the UTC day rolls over too
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(0L, 0L);
            assertThat(acquire(bucket, windows).remaining()).isEqualTo(1);
        }

        @Test
        void statusReadsWithoutCounting() {
            String bucket = bucket();
            List<Window> windows = List.of(Window.perMinute(10), Window.perDay(100));
            assertThat(status(bucket, windows)).extracting(WindowStatus::count).containsExactly(0L, 0L);
            acquire(bucket, windows);
            acquire(bucket, windows);

            List<WindowStatus> first = status(bucket, windows);
            List<WindowStatus> second = status(bucket, windows);

            assertThat(second).isEqualTo(first);
            assertThat(first.get(0)).isEqualTo(new WindowStatus(Window.perMinute(10), 2, 8, NEXT_MINUTE - 60,
                    NEXT_MINUTE));
            assertThat(first.get(1)).isEqualTo(new WindowStatus(Window.perDay(100), 2, 98, NEXT_DAY - 86_400,
                    NEXT_DAY));
        }

        @Test
        void bucketsAreIndependent() {
            String a = bucket();
            String b = bucket();
            List<Window> windows = List.of(Window.perMinute(1));
            assertThat(acquire(a, windows).allowed()).isTrue();
            assertThat(acquire(a, windows).allowed()).isFalse();

            assertThat(acquire(b, windows).allowed()).isTrue();
        }

        @Test
        void aZeroLimitRejectsEverything() {
            Decision decision = acquire(bucket(), List.of(Window.perMinute(0), Window.perDay(10)));

            assertThat(decision.allowed()).isFalse();
            assertThat(decision.limit()).isZero();
            assertThat(decision.retryAfterSeconds()).isEqualTo(45);
        }

        @Test
        void rejectsWindowsThatWouldShareACounter() {
            assertThatThrownBy(() -> limiter.acquire(bucket(), List.of(Window.perMinute(1), Window.perMinute(2))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> limiter.acquire(" ", List.of(Window.perMinute(1))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Window(Duration.ofMillis(1500), 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
