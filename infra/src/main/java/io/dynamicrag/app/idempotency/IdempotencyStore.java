package io.dynamicrag.app.idempotency;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the outcome of a request sent with an {@code Idempotency-Key} is kept, per (scope, key).
 *
 * <p>A record is either in progress (a claim with a lease: it expires by itself, so a request that died mid-way
 * does not block its key forever) or completed (the response to replay, kept for the configured TTL). Every
 * operation is atomic per (scope, key): of any number of concurrent {@link #claim claims} on a free key, exactly one
 * gets the lease; a {@link #complete} or {@link #release} only acts while the caller's lease is still the current
 * record, so a request whose lease ran out cannot overwrite or delete the record of the request that took over.
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} for a request with this fingerprint if it is free (absent or expired); otherwise tells what
     * holds it.
     */
    Mono<Claim> claim(Key key, String fingerprint, Duration lease);

    /**
     * Replaces the caller's in-progress record by the response, kept for {@code ttl}. Also stores it when the lease
     * has expired and nobody took the key since. Emits false (and stores nothing) when another request now holds
     * the key.
     */
    Mono<Boolean> complete(Lease lease, StoredResponse response, Duration ttl);

    /** Deletes the caller's in-progress record so that the key can be used again; false when it was not ours. */
    Mono<Boolean> release(Lease lease);

    /**
     * One key of one caller.
     *
     * @param scope who may see the record: a tenant id, or {@code webhook:<sha256 of the token>}
     * @param value the client's {@code Idempotency-Key}
     */
    record Key(String scope, String value) {

        public Key {
            if (scope == null || scope.isBlank() || value == null || value.isEmpty()) {
                throw new IllegalArgumentException("scope and key must not be empty");
            }
        }
    }

    /** Proof of a successful claim: {@code token} is unique to this claim. */
    record Lease(Key key, String fingerprint, String token) {

        public Lease {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * A completed request.
     *
     * @param fingerprint the request's fingerprint (method, path, body)
     * @param status      the HTTP status code
     * @param headers     the response headers that are replayed (Content-Type, Location)
     * @param body        the response body
     */
    record StoredResponse(String fingerprint, int status, Map<String, List<String>> headers, byte[] body) {

        public StoredResponse {
            Objects.requireNonNull(fingerprint, "fingerprint");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }
    }

    /** What a claim found. */
    sealed interface Claim permits Claimed, InProgress, Completed {
    }

    /** The key was free: the caller holds it now. */
    record Claimed(Lease lease) implements Claim {
    }

    /** Another request with this key is running (its fingerprint, to tell a retry from a misuse). */
    record InProgress(String fingerprint) implements Claim {
    }

    /** A request with this key has completed: its response. */
    record Completed(StoredResponse response) implements Claim {
    }
}
