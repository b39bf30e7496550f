package io.dynamicrag.app.idempotency;

import io.dynamicrag.app.idempotency.IdempotencyStore.Claim;
import io.dynamicrag.app.idempotency.IdempotencyStore.Claimed;
import io.dynamicrag.app.idempotency.IdempotencyStore.Completed;
import io.dynamicrag.app.idempotency.IdempotencyStore.InProgress;
import io.dynamicrag.app.idempotency.IdempotencyStore.Key;
import io.dynamicrag.app.idempotency.IdempotencyStore.Lease;
import io.dynamicrag.app.idempotency.IdempotencyStore.StoredResponse;
import io.dynamicrag.app.redis.RedisConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link IdempotencyStore} adapter passes: the abstract {@link Contract} with one subclass per
 * adapter (Redis at {@code TEST_REDIS_URL}, in-process). Every test uses its own scope and key.
 */
class IdempotencyStoreContractTest {

    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration TTL = Duration.ofHours(24);

    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;

    static String redisUrl() {
        return System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379");
    }

    static synchronized StatefulRedisConnection<String, String> redis() {
        if (redis == null) {
            redisClient = RedisClient.create(redisUrl());
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
        IdempotencyStore create(Clock clock) {
            return new RedisIdempotencyStore(redis());
        }

        @Override
        void letTheLeaseLapse(Key key, Duration lease) {
            // Redis expires the lease by its own clock (PX): wait until the key is gone
            org.awaitility.Awaitility.await("lease of " + key + " lapsed").atMost(lease.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> redis().sync().exists(RedisIdempotencyStore.redisKey(key)) == 0);
        }

        @Override
        Duration shortLease() {
            return Duration.ofMillis(300);
        }

        @Test
        void recordsAreKeyedByScopeAndHashedKeyAndExpire() {
            Key key = new Key("tenant-" + UUID.randomUUID(), "a {key} with braces");
            Lease lease = claimed(key, "fp");
            String redisKey = RedisIdempotencyStore.redisKey(key);

            assertThat(redisKey).matches("rag:idem:\\{tenant-[0-9a-f-]+}:[0-9a-f]{64}");
            assertThat(redis().sync().pttl(redisKey)).isBetween(LEASE.toMillis() - 5_000, LEASE.toMillis());
            assertThat(redis().sync().get(redisKey)).contains("IN_PROGRESS").doesNotContain("braces");

            assertThat(complete(lease, response("fp", 202, "{}"))).isTrue();
            assertThat(redis().sync().pttl(redisKey)).isBetween(TTL.toMillis() - 5_000, TTL.toMillis());
            assertThat(redis().sync().get(redisKey)).contains("COMPLETED");

            Key braces = new Key("webhook:{x}", "k");
            assertThat(RedisIdempotencyStore.redisKey(braces)).startsWith("rag:idem:{webhook:(x)}:");
        }
    }

    @Nested
    class InMemory extends Contract {

        @Override
        IdempotencyStore create(Clock clock) {
            return new InMemoryIdempotencyStore(clock);
        }

        @Override
        void letTheLeaseLapse(Key key, Duration lease) {
            clock.advance(lease);
        }

        @Override
        Duration shortLease() {
            return LEASE;
        }

        @Test
        void completedRecordsExpireAfterTheirTtlAndAreSwept() {
            InMemoryIdempotencyStore memory = (InMemoryIdempotencyStore) store;
            Key key = key();
            complete(claimed(key, "fp"), response("fp", 202, "{}"));
            for (int i = 0; i < 5; i++) {
                claimed(key(), "fp");
            }
            assertThat(memory.size()).isEqualTo(6);

            clock.advance(TTL.minusSeconds(1));
            assertThat(claim(key, "fp")).isInstanceOf(Completed.class);

            clock.advance(Duration.ofSeconds(1));
            assertThat(claim(key, "fp")).isInstanceOf(Claimed.class);
            clock.advance(Duration.ofMinutes(3)); // everything has lapsed; the next call sweeps
            claimed(key(), "fp");
            assertThat(memory.size()).isEqualTo(1);
        }
    }

    /** Which adapter the application wires: decided by rag.redis.url (REDIS_URL), like RedisConfiguration. */
    @Nested
    class Wiring {

        final ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(RedisConfiguration.class, IdempotencyConfiguration.class);

        @Test
        void inProcessWithoutRedisUrl() {
            runner.withPropertyValues("rag.redis.url=").run(context -> {
                assertThat(context).hasSingleBean(IdempotencyStore.class);
                assertThat(context.getBean(IdempotencyStore.class)).isInstanceOf(InMemoryIdempotencyStore.class);
                IdempotencyConfiguration.IdempotencyProperties properties =
                        context.getBean(IdempotencyConfiguration.IdempotencyProperties.class);
                assertThat(properties.ttl()).isEqualTo(Duration.ofHours(24));
                assertThat(properties.lease()).isEqualTo(Duration.ofMinutes(2));
            });
        }

        @Test
        void redisWithRedisUrl() {
            runner.withPropertyValues("rag.redis.url=" + redisUrl(), "rag.idempotency.ttl=PT1H").run(context -> {
                assertThat(context.getBean(IdempotencyStore.class)).isInstanceOf(RedisIdempotencyStore.class);
                assertThat(context.getBean(IdempotencyConfiguration.IdempotencyProperties.class).ttl())
                        .isEqualTo(Duration.ofHours(1));
            });
        }
    }

    abstract static class Contract {

        MutableClock clock;
        IdempotencyStore store;

        abstract IdempotencyStore create(Clock clock);

        /** Waits or moves the clock until a lease of this length has run out. */
        abstract void letTheLeaseLapse(Key key, Duration lease) throws InterruptedException;

        /** A lease the test can wait out. */
        abstract Duration shortLease();

        @BeforeEach
        void setUp() {
            clock = new MutableClock(Instant.parse("2030-06-15T12:00:00Z"));
            store = create(clock);
        }

        static Key key() {
            return new Key("tenant-" + UUID.randomUUID(), "key-" + UUID.randomUUID());
        }

        static StoredResponse response(String fingerprint, int status, String body) {
            return new StoredResponse(fingerprint, status,
                    Map.of("Content-Type", List.of("application/json"), "Location", List.of("/x/1")),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        Claim claim(Key key, String fingerprint) {
            return claim(key, fingerprint, LEASE);
        }

        Claim claim(Key key, String fingerprint, Duration lease) {
            return store.claim(key, fingerprint, lease).block(Duration.ofSeconds(10));
        }

        Lease claimed(Key key, String fingerprint) {
            Claim claim = claim(key, fingerprint);
            assertThat(claim).isInstanceOf(Claimed.class);
            return ((Claimed) claim).lease();
        }

        boolean complete(Lease lease, StoredResponse response) {
            return store.complete(lease, response, TTL).block(Duration.ofSeconds(10));
        }

        boolean release(Lease lease) {
            return store.release(lease).block(Duration.ofSeconds(10));
        }

        @Test
        void theFirstClaimWinsAndLaterOnesSeeItInProgress() {
            Key key = key();

            Lease lease = claimed(key, "fp-1");

            assertThat(lease.key()).isEqualTo(key);
            assertThat(lease.fingerprint()).isEqualTo("fp-1");
            assertThat(claim(key, "fp-1")).isEqualTo(new InProgress("fp-1"));
            // the holder's fingerprint is reported, whatever the caller's
            assertThat(claim(key, "fp-2")).isEqualTo(new InProgress("fp-1"));
        }

        @Test
        void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
            Key key = key();
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Claim>> futures = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return claim(key, "fp");
                    }));
                }
                start.countDown();
                List<Claim> claims = new ArrayList<>();
                for (Future<Claim> f : futures) {
                    claims.add(f.get(30, TimeUnit.SECONDS));
                }

                assertThat(claims).filteredOn(c -> c instanceof Claimed).hasSize(1);
                assertThat(claims).filteredOn(c -> c instanceof InProgress).hasSize(19);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void exactlyOneOfManyReactiveClaimsWins() {
            Key key = key();

            List<Claim> claims = Flux.range(0, 20)
                    .flatMap(i -> store.claim(key, "fp", LEASE), 20)
                    .collectList()
                    .block(Duration.ofSeconds(30));

            assertThat(claims).filteredOn(c -> c instanceof Claimed).hasSize(1);
        }

        @Test
        void aCompletedResponseIsReplayedAsStored() {
            Key key = key();
            Lease lease = claimed(key, "fp");

            assertThat(complete(lease, response("fp", 202, "{\"document_id\":\"d-1\"}"))).isTrue();

            Claim replay = claim(key, "fp");
            assertThat(replay).isInstanceOf(Completed.class);
            StoredResponse stored = ((Completed) replay).response();
            assertThat(stored.fingerprint()).isEqualTo("fp");
            assertThat(stored.status()).isEqualTo(202);
            assertThat(stored.headers()).containsEntry("Content-Type", List.of("application/json"))
                    .containsEntry("Location", List.of("/x/1"));
            assertThat(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo("{\"document_id\":\"d-1\"}");
            // a different request with the same key sees the stored fingerprint (the filter answers 422)
            assertThat(((Completed) claim(key, "other")).response().fingerprint()).isEqualTo("fp");
            // the record is final: neither a release nor a second completion with the old lease changes it
            assertThat(release(lease)).isFalse();
            assertThat(complete(lease, response("fp", 400, "{}"))).isFalse();
            assertThat(((Completed) claim(key, "fp")).response().status()).isEqualTo(202);
        }

        @Test
        void bodiesAreKeptByteForByteAndMayBeEmpty() {
            Key key = key();
            byte[] binary = new byte[256];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) i;
            }
            complete(claimed(key, "fp"), new StoredResponse("fp", 200, Map.of(), binary));
            Key empty = key();
            complete(claimed(empty, "fp"), new StoredResponse("fp", 204, Map.of(), new byte[0]));

            assertThat(((Completed) claim(key, "fp")).response().body()).isEqualTo(binary);
            StoredResponse none = ((Completed) claim(empty, "fp")).response();
            assertThat(none.status()).isEqualTo(204);
            assertThat(none.body()).isEmpty();
            assertThat(none.headers()).isEmpty();
        }

        @Test
        void aReleasedKeyCanBeClaimedAgain() {
            Key key = key();
            Lease first = claimed(key, "fp");

            assertThat(release(first)).isTrue();

            Lease second = claimed(key, "fp");
            assertThat(second.token()).isNotEqualTo(first.token());
            // the first claim's lease no longer names the record: it can neither release nor complete it
            assertThat(release(first)).isFalse();
            assertThat(complete(first, response("fp", 202, "{}"))).isFalse();
            assertThat(claim(key, "fp")).isInstanceOf(InProgress.class);
        }

        @Test
        void scopesAndKeysAreIndependent() {
            Key key = key();
            claimed(key, "fp");

            assertThat(claim(new Key("tenant-" + UUID.randomUUID(), key.value()), "fp")).isInstanceOf(Claimed.class);
            assertThat(claim(new Key(key.scope(), key.value() + "-2"), "fp")).isInstanceOf(Claimed.class);
        }

        @Test
        void anExpiredLeaseFreesTheKey() throws InterruptedException {
            Key key = key();
            Duration lease = shortLease();
            Lease crashed = ((Claimed) claim(key, "fp", lease)).lease();
            assertThat(claim(key, "fp", lease)).isInstanceOf(InProgress.class);

            letTheLeaseLapse(key, lease);

            Claim retry = claim(key, "fp");
            assertThat(retry).isInstanceOf(Claimed.class);
            Lease current = ((Claimed) retry).lease();
            // the request that lost its lease cannot overwrite or delete the new holder's record
            assertThat(complete(crashed, response("fp", 202, "{\"late\":true}"))).isFalse();
            assertThat(release(crashed)).isFalse();
            assertThat(claim(key, "fp")).isInstanceOf(InProgress.class);
            assertThat(complete(current, response("fp", 202, "{}"))).isTrue();
            assertThat(claim(key, "fp")).isInstanceOf(Completed.class);
        }

        @Test
        void aLateCompletionIsStoredWhenNobodyTookTheKey() throws InterruptedException {
            Key key = key();
            Duration lease = shortLease();
            Lease slow = ((Claimed) claim(key, "fp", lease)).lease();

            letTheLeaseLapse(key, lease);

            assertThat(complete(slow, response("fp", 202, "{}"))).isTrue();
            assertThat(claim(key, "fp")).isInstanceOf(Completed.class);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
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
