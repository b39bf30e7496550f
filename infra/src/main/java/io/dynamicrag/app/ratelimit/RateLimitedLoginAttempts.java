package io.dynamicrag.app.ratelimit;

import io.dynamicrag.command.tenancy.auth.LoginAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LoginAttempts} on top of whichever {@link RateLimiter} is configured (Redis, shared by all nodes; or
 * in-process): one fixed window per email ({@code login-email:<lowercased email>}) and one per client address
 * ({@code login-addr:<address>}). Every attempt counts, successful or not.
 *
 * <p>The address is checked first and the email only if the address still has room: a client that is already
 * blocked cannot keep spending a victim's per-email budget (and so cannot lock the owner out for longer).
 *
 * <p>If the shared limiter fails (Redis down or slow), attempts are counted by an in-process limiter instead of
 * being let through: password guessing stays throttled, per node, during the outage. Logged at WARN.
 */
public class RateLimitedLoginAttempts implements LoginAttempts {

    private static final Logger log = LoggerFactory.getLogger(RateLimitedLoginAttempts.class);
    private static final long FALLBACK_LOG_EVERY_MILLIS = 30_000;

    private final RateLimiter limiter;
    private final RateLimiter fallback;
    private final List<RateLimiter.Window> perEmail;
    private final List<RateLimiter.Window> perAddress;
    private final Duration timeout;
    private final AtomicLong lastFallbackLog = new AtomicLong();

    /**
     * @param fallback used when {@code limiter} fails; may be the same object (then a failure propagates)
     */
    public RateLimitedLoginAttempts(RateLimiter limiter, RateLimiter fallback, long perEmailLimit,
                                    long perAddressLimit, Duration window, Duration timeout) {
        this.limiter = limiter;
        this.fallback = fallback;
        this.perEmail = List.of(new RateLimiter.Window(window, perEmailLimit));
        this.perAddress = List.of(new RateLimiter.Window(window, perAddressLimit));
        this.timeout = timeout;
    }

    static String emailBucket(String email) {
        return "login-email:" + email.trim().toLowerCase(Locale.ROOT);
    }

    static String addressBucket(String address) {
        return "login-addr:" + address.trim();
    }

    @Override
    public Mono<Verdict> tryAttempt(String email, String clientAddress) {
        boolean hasAddress = clientAddress != null && !clientAddress.isBlank();
        boolean hasEmail = email != null && !email.isBlank();
        Mono<Verdict> byAddress = hasAddress
                ? acquire(addressBucket(clientAddress), perAddress) : Mono.just(Verdict.allow());
        return byAddress.flatMap(verdict -> !verdict.allowed() || !hasEmail
                ? Mono.just(verdict)
                : acquire(emailBucket(email), perEmail));
    }

    private Mono<Verdict> acquire(String bucket, List<RateLimiter.Window> windows) {
        Mono<RateLimiter.Decision> decision = limiter.acquire(bucket, windows);
        if (fallback != limiter) {
            decision = decision.timeout(timeout).onErrorResume(e -> {
                logFallback(e);
                return fallback.acquire(bucket, windows);
            });
        }
        return decision.map(d -> d.allowed() ? Verdict.allow() : new Verdict(false, d.retryAfterSeconds()));
    }

    private void logFallback(Throwable e) {
        long now = System.currentTimeMillis();
        long last = lastFallbackLog.get();
        if (now - last >= FALLBACK_LOG_EVERY_MILLIS && lastFallbackLog.compareAndSet(last, now)) {
            log.warn("Shared rate limiter unavailable; login attempts are throttled per node meanwhile: {}",
                    e.toString());
        }
    }
}
