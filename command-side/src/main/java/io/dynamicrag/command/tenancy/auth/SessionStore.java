package io.dynamicrag.command.tenancy.auth;

import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Shared state of login sessions: refresh tokens (by hash), revoked sessions and revoked access tokens. Lives in
 * Redis so that a logout or a revocation takes effect on every node at once.
 */
public interface SessionStore {

    Mono<Void> saveRefreshToken(String tokenHash, RefreshTokenRecord record, Duration ttl);

    /**
     * Atomically marks a refresh token used and returns what it was: {@code FRESH} the first time, {@code REUSED}
     * on any later call (a stolen token being replayed), {@code UNKNOWN} if it never existed or has expired.
     */
    Mono<Consumption> consumeRefreshToken(String tokenHash);

    Mono<Void> revokeSession(String sessionId, Duration ttl);

    Mono<Boolean> isSessionRevoked(String sessionId);

    Mono<Void> revokeAccessToken(String tokenId, Duration ttl);

    Mono<Boolean> isAccessTokenRevoked(String tokenId);

    record RefreshTokenRecord(String sessionId, String tenantId, String email) {
    }

    record Consumption(State state, RefreshTokenRecord record) {

        public enum State { FRESH, REUSED, UNKNOWN }

        public static Consumption unknown() {
            return new Consumption(State.UNKNOWN, null);
        }
    }
}
