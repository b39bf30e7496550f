package io.dynamicrag.app.idempotency;

import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idempotency records kept in this process: used when {@code REDIS_URL} is not set. Correct for one node only (a
 * retry that reaches another node runs again), and the records do not survive a restart. Every operation is one
 * {@link ConcurrentHashMap#compute} on the key, hence atomic; expired records are swept at most once a minute.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();

    public InMemoryIdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    /** An in-progress record (response null, token set) or a completed one (response set). */
    private record Entry(String fingerprint, String token, StoredResponse response, Instant expiresAt) {

        boolean expired(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    @Override
    public Mono<Claim> claim(Key key, String fingerprint, Duration lease) {
        return Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            sweepIfDue(now);
            Entry mine = new Entry(fingerprint, UUID.randomUUID().toString(), null, now.plus(lease));
            Entry current = entries.compute(key, (k, existing) ->
                    existing == null || existing.expired(now) ? mine : existing);
            if (current == mine) {
                return new Claimed(new Lease(key, fingerprint, mine.token()));
            }
            return current.response() != null
                    ? new Completed(current.response())
                    : new InProgress(current.fingerprint());
        });
    }

    @Override
    public Mono<Boolean> complete(Lease lease, StoredResponse response, Duration ttl) {
        return Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            AtomicReference<Boolean> stored = new AtomicReference<>(false);
            entries.compute(lease.key(), (k, existing) -> {
                if (existing == null || existing.expired(now) || ours(existing, lease)) {
                    stored.set(true);
                    return new Entry(response.fingerprint(), null, response, now.plus(ttl));
                }
                return existing;
            });
            return stored.get();
        });
    }

    @Override
    public Mono<Boolean> release(Lease lease) {
        return Mono.fromSupplier(() -> {
            AtomicReference<Boolean> released = new AtomicReference<>(false);
            entries.computeIfPresent(lease.key(), (k, existing) -> {
                if (ours(existing, lease)) {
                    released.set(true);
                    return null;
                }
                return existing;
            });
            return released.get();
        });
    }

    /** Number of records held, expired ones included until the next sweep (for tests). */
    int size() {
        return entries.size();
    }

    private static boolean ours(Entry entry, Lease lease) {
        return entry.response() == null && lease.token().equals(entry.token());
    }

    private void sweepIfDue(Instant now) {
        long due = nextSweep.get();
        long nowMillis = now.toEpochMilli();
        if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_EVERY_MILLIS)) {
            return;
        }
        entries.forEach((key, entry) -> {
            if (entry.expired(now)) {
                entries.remove(key, entry);
            }
        });
    }
}
