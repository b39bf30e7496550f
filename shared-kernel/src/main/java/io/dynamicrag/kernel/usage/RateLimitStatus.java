package io.dynamicrag.kernel.usage;

import io.dynamicrag.kernel.ids.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The tenant's current rate-limit windows per endpoint, read from the counters the rate limiter itself uses. */
public interface RateLimitStatus {

    /** Every endpoint the tenant has called in the current UTC day, with its minute and day windows. */
    CompletionStage<TenantRateLimits> current(TenantId tenant);

    record TenantRateLimits(long perMinute, long perDay, List<EndpointWindows> endpoints) {
    }

    record EndpointWindows(String endpoint, Window minute, Window day) {
    }

    /** {@code used} requests of {@code limit} in the window that ends at {@code resetsAt}. */
    record Window(long limit, long used, long remaining, Instant windowStart, Instant resetsAt) {
    }
}
