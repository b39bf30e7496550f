package io.dynamicrag.command.tenancy.auth;

import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session store of a single process, for running without Redis. Same semantics as the Redis store, but a
 * logout on one node is not seen by another: never use it behind a load balancer.
 */
public class InMemorySessionStore implements SessionStore {

    private final Map<String, Entry<RefreshTokenRecord>> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedSessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedTokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemorySessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Mono<Void> saveRefreshToken(String tokenHash, RefreshTokenRecord record, Duration ttl) {
        return Mono.fromRunnable(() -> {
            evictExpired();
            refreshTokens.put(tokenHash, new Entry<>(record, false, clock.instant().plus(ttl)));
        });
    }

    @Override
    public Mono<Consumption> consumeRefreshToken(String tokenHash) {
        return Mono.fromSupplier(() -> {
            Consumption[] result = {Consumption.unknown()};
            refreshTokens.computeIfPresent(tokenHash, (hash, entry) -> {
                if (entry.expiresAt().isBefore(clock.instant())) {
                    return null;
                }
                result[0] = new Consumption(entry.used() ? Consumption.State.REUSED : Consumption.State.FRESH,
                        entry.value());
                return new Entry<>(entry.value(), true, entry.expiresAt());
            });
            return result[0];
        });
    }

    @Override
    public Mono<Void> revokeSession(String sessionId, Duration ttl) {
        return Mono.fromRunnable(() -> revokedSessions.put(sessionId, clock.instant().plus(ttl)));
    }

    @Override
    public Mono<Boolean> isSessionRevoked(String sessionId) {
        return Mono.fromSupplier(() -> isLive(revokedSessions.get(sessionId)));
    }

    @Override
    public Mono<Void> revokeAccessToken(String tokenId, Duration ttl) {
        return Mono.fromRunnable(() -> revokedTokens.put(tokenId, clock.instant().plus(ttl)));
    }

    @Override
    public Mono<Boolean> isAccessTokenRevoked(String tokenId) {
        return Mono.fromSupplier(() -> isLive(revokedTokens.get(tokenId)));
    }

    private boolean isLive(Instant expiresAt) {
        return expiresAt != null && expiresAt.isAfter(clock.instant());
    }

    private void evictExpired() {
        Instant now = clock.instant();
        refreshTokens.values().removeIf(e -> e.expiresAt().isBefore(now));
        revokedSessions.values().removeIf(at -> at.isBefore(now));
        revokedTokens.values().removeIf(at -> at.isBefore(now));
    }

    private record Entry<T>(T value, boolean used, Instant expiresAt) {
    }
}
