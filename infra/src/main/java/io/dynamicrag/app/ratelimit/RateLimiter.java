package io.dynamicrag.app.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Counts requests of one bucket (e.g. a tenant's endpoint, a login email) in several fixed windows at once (e.g. the
 * current minute and the current UTC day). Windows are aligned to the epoch: a window of {@code s} seconds starts at
 * {@code floor(now / s) * s}, so a day window is a UTC day, like the seed's {@code rate_limit_tracker}.
 *
 * <p>{@link #acquire} is atomic across all windows of the bucket: the request is admitted only if every window has
 * room, and then every window is incremented; a rejected request increments nothing. Implementations must keep
 * that under concurrency (and, for shared stores, across nodes).
 */
public interface RateLimiter {

    /** Takes one request from every window of {@code bucket}, or none if any window is full. */
    Mono<Decision> acquire(String bucket, List<Window> windows);

    /** The current count, remaining and reset of each window, in the order given; increments nothing. */
    Mono<List<WindowStatus>> status(String bucket, List<Window> windows);

    /**
     * The buckets starting with {@code prefix} that have counted a request in the current {@code window} (e.g. a
     * tenant's endpoints called today), in no particular order, named as {@link #storedName} stores them (which
     * {@link #status} accepts); increments nothing.
     */
    Mono<List<String>> activeBuckets(String prefix, Window window);

    /**
     * The name a bucket is stored under: braces become parentheses (in Redis they would cut a Cluster hash tag
     * short). Two buckets that differ only there share one counter, in every implementation alike.
     */
    static String storedName(String bucket) {
        return bucket.replace('{', '(').replace('}', ')');
    }

    /** A fixed window of {@code size} (whole seconds) that admits {@code limit} requests. */
    record Window(Duration size, long limit) {

        public static final Duration MINUTE = Duration.ofMinutes(1);
        public static final Duration DAY = Duration.ofDays(1);

        public Window {
            Objects.requireNonNull(size, "size");
            if (size.getSeconds() < 1 || size.getNano() != 0) {
                throw new IllegalArgumentException("A window is a positive number of whole seconds: " + size);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("A limit cannot be negative: " + limit);
            }
        }

        public static Window perMinute(long limit) {
            return new Window(MINUTE, limit);
        }

        public static Window perDay(long limit) {
            return new Window(DAY, limit);
        }

        public long sizeSeconds() {
            return size.getSeconds();
        }

        /** Epoch second at which the window containing {@code now} starts. */
        public long startAt(Instant now) {
            return Math.floorDiv(now.getEpochSecond(), sizeSeconds()) * sizeSeconds();
        }

        /** Epoch second at which the window containing {@code now} ends (and the next one starts). */
        public long resetAt(Instant now) {
            return startAt(now) + sizeSeconds();
        }

        /** "minute", "day" or "15 minutes", for messages. */
        public String describe() {
            long s = sizeSeconds();
            if (s == 60) {
                return "minute";
            }
            if (s == 86_400) {
                return "day";
            }
            if (s % 3600 == 0) {
                return (s / 3600) + " hours";
            }
            if (s % 60 == 0) {
                return (s / 60) + " minutes";
            }
            return s + " seconds";
        }

        /** Rejects an empty list and two windows of the same size (they would share one counter). */
        static void validate(String bucket, List<Window> windows) {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("A bucket key is required");
            }
            if (windows == null || windows.isEmpty()) {
                throw new IllegalArgumentException("At least one window is required");
            }
            Set<Long> sizes = new HashSet<>();
            for (Window w : windows) {
                if (!sizes.add(w.sizeSeconds())) {
                    throw new IllegalArgumentException("Two windows of " + w.size() + " in one bucket");
                }
            }
        }
    }

    /**
     * The answer to one {@link #acquire}.
     *
     * @param allowed           whether the request may proceed (and was counted)
     * @param window            the binding window: the exhausted one when rejected (the one that resets last if
     *                          several are), else the shortest window (the minute for tenant limits)
     * @param limit             that window's limit
     * @param remaining         requests left after this one: the minimum over all windows (0 when rejected)
     * @param resetEpochSeconds when the binding window ends
     * @param retryAfterSeconds 0 when allowed; else whole seconds until the binding window ends (at least 1)
     */
    record Decision(boolean allowed, Window window, long limit, long remaining, long resetEpochSeconds,
                    long retryAfterSeconds) {

        /** Builds the decision from the counts of each window (after the increment when admitted). */
        static Decision of(boolean allowed, List<Window> windows, long[] counts, Instant now) {
            long remaining = Long.MAX_VALUE;
            for (int i = 0; i < windows.size(); i++) {
                remaining = Math.min(remaining, Math.max(0, windows.get(i).limit() - counts[i]));
            }
            Window binding = null;
            if (allowed) {
                for (Window w : windows) {
                    if (binding == null || w.sizeSeconds() < binding.sizeSeconds()) {
                        binding = w;
                    }
                }
                return new Decision(true, binding, binding.limit(), remaining, binding.resetAt(now), 0);
            }
            for (int i = 0; i < windows.size(); i++) {
                Window w = windows.get(i);
                if (counts[i] >= w.limit() && (binding == null || w.resetAt(now) > binding.resetAt(now))) {
                    binding = w;
                }
            }
            if (binding == null) {
                throw new IllegalStateException("Rejected although no window is full");
            }
            long reset = binding.resetAt(now);
            long retryAfter = Math.max(1, (reset * 1000 - now.toEpochMilli() + 999) / 1000);
            return new Decision(false, binding, binding.limit(), 0, reset, retryAfter);
        }
    }

    /** One window's state as {@link #status} reads it. */
    record WindowStatus(Window window, long count, long remaining, long windowStartEpochSeconds,
                        long resetEpochSeconds) {

        static WindowStatus of(Window window, long count, Instant now) {
            return new WindowStatus(window, count, Math.max(0, window.limit() - count), window.startAt(now),
                    window.resetAt(now));
        }
    }
}
