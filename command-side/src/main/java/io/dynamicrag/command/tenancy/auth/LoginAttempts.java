package io.dynamicrag.command.tenancy.auth;

import reactor.core.publisher.Mono;

/**
 * Throttles login attempts per email and per client address, so passwords cannot be guessed at speed. Every
 * attempt counts (successful or not); the implementation shares its counters across nodes (Redis).
 */
public interface LoginAttempts {

    /** Records one attempt; the answer says whether it may proceed and, if not, when to retry. */
    Mono<Verdict> tryAttempt(String email, String clientAddress);

    record Verdict(boolean allowed, long retryAfterSeconds) {

        public static Verdict allow() {
            return new Verdict(true, 0);
        }
    }
}
