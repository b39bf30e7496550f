package io.dynamicrag.app.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The application's {@link Clock} in integration tests (the rate limiters and the rate-limit filter's cache of
 * tenants' limits read it): the system clock, which a test moves forward past a time to live, or holds still inside
 * one minute, instead of sleeping. It never goes back, so what one test did to it cannot confuse the next.
 */
public class TestClock extends Clock {

    private static final long LATEST_HOLD_SECOND = 30;

    private Duration ahead = Duration.ZERO;
    private Instant held;

    /** Moves the clock forward: a cache entry or a window that would take {@code by} to pass has passed. */
    public synchronized void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("The test clock only moves forward");
        }
        ahead = ahead.plus(by);
        if (held != null) {
            held = held.plus(by);
        }
    }

    /**
     * Holds the clock still early in a minute, so that everything until {@link #release()} falls into one
     * fixed-minute window however slow the machine is: now when at most 30 s of the minute have passed, else the
     * start of the next minute (moving forward). Returns the instant it holds.
     */
    public synchronized Instant holdInsideOneMinute() {
        Instant now = instant();
        held = now.getEpochSecond() % 60 <= LATEST_HOLD_SECOND ? now
                : now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        return held;
    }

    /** Lets the clock run again, from where it was held (never back). */
    public synchronized void release() {
        if (held != null) {
            Duration heldAhead = Duration.between(Instant.now(), held);
            if (heldAhead.compareTo(ahead) > 0) {
                ahead = heldAhead;
            }
            held = null;
        }
    }

    @Override
    public synchronized Instant instant() {
        return held != null ? held : Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("The test clock is UTC only");
    }
}
