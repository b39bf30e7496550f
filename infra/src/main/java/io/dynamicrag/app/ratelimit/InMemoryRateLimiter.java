package io.dynamicrag.app.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same fixed windows as {@link RedisRateLimiter}, kept in this process: used when {@code REDIS_URL} is not set,
 * so limits are per node (a cluster of n nodes admits up to n times the limit). Each bucket is guarded by its own
 * monitor; buckets whose windows have all ended are evicted by a sweep at most once a minute.
 */
public class InMemoryRateLimiter implements RateLimiter {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, BucketState> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();

    public InMemoryRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Mono<Decision> acquire(String bucket, List<Window> windows) {
        Window.validate(bucket, windows);
        return Mono.fromSupplier(() -> acquireNow(bucket, windows));
    }

    @Override
    public Mono<List<WindowStatus>> status(String bucket, List<Window> windows) {
        Window.validate(bucket, windows);
        return Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            BucketState state = buckets.get(RateLimiter.storedName(bucket));
            List<WindowStatus> result = new ArrayList<>(windows.size());
            for (Window w : windows) {
                long count = 0;
                if (state != null) {
                    synchronized (state) {
                        count = state.removed ? 0 : state.count(w, now);
                    }
                }
                result.add(WindowStatus.of(w, count, now));
            }
            return result;
        });
    }

    @Override
    public Mono<List<String>> activeBuckets(String prefix, Window window) {
        return Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            List<String> active = new ArrayList<>();
            buckets.forEach((key, state) -> {
                if (key.startsWith(RateLimiter.storedName(prefix))) {
                    synchronized (state) {
                        if (!state.removed && state.count(window, now) > 0) {
                            active.add(key);
                        }
                    }
                }
            });
            return active;
        });
    }

    /** Number of buckets held (for tests of the eviction). */
    int bucketCount() {
        return buckets.size();
    }

    private Decision acquireNow(String bucket, List<Window> windows) {
        Instant now = clock.instant();
        sweepIfDue(now);
        while (true) {
            BucketState state = buckets.computeIfAbsent(RateLimiter.storedName(bucket), k -> new BucketState());
            synchronized (state) {
                if (state.removed) {
                    continue; // evicted between lookup and lock: take the fresh one
                }
                long[] counts = new long[windows.size()];
                boolean allowed = true;
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = state.count(windows.get(i), now);
                    if (counts[i] >= windows.get(i).limit()) {
                        allowed = false;
                    }
                }
                if (allowed) {
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = state.increment(windows.get(i), now);
                    }
                }
                return Decision.of(allowed, windows, counts, now);
            }
        }
    }

    private void sweepIfDue(Instant now) {
        long due = nextSweep.get();
        long nowMillis = now.toEpochMilli();
        if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_EVERY_MILLIS)) {
            return;
        }
        long nowSeconds = now.getEpochSecond();
        buckets.forEach((key, state) -> {
            synchronized (state) {
                state.evictEnded(nowSeconds);
                if (state.windows.isEmpty()) {
                    state.removed = true;
                    buckets.remove(key, state);
                }
            }
        });
    }

    /** Counters of one bucket, by window size: {window start, count}. Guarded by its own monitor. */
    private static final class BucketState {

        private final Map<Long, long[]> windows = new HashMap<>();
        private boolean removed;

        long count(Window window, Instant now) {
            long[] entry = windows.get(window.sizeSeconds());
            return entry != null && entry[0] == window.startAt(now) ? entry[1] : 0;
        }

        long increment(Window window, Instant now) {
            long start = window.startAt(now);
            long[] entry = windows.get(window.sizeSeconds());
            if (entry == null || entry[0] != start) {
                entry = new long[] {start, 0};
                windows.put(window.sizeSeconds(), entry);
            }
            return ++entry[1];
        }

        void evictEnded(long nowSeconds) {
            windows.entrySet().removeIf(e -> e.getValue()[0] + e.getKey() <= nowSeconds);
        }
    }
}
