package io.dynamicrag.app.ratelimit;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.RateLimitStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The tenant's windows as {@link TenantRateLimitFilter} counts them: the same limiter, the same buckets
 * ({@code <tenant>:<METHOD> <path>}) and the same limits (customer_config, cached). Endpoints are those with a
 * request counted in the current UTC day.
 */
@Component
class RateLimitStatusReader implements RateLimitStatus {

    private final RateLimiter limiter;
    private final TenantRateLimitFilter filter;

    RateLimitStatusReader(RateLimiter limiter, TenantRateLimitFilter filter) {
        this.limiter = limiter;
        this.filter = filter;
    }

    @Override
    public CompletionStage<TenantRateLimits> current(TenantId tenant) {
        String prefix = tenant + ":";
        return filter.limits(tenant).flatMap(limits -> {
            List<RateLimiter.Window> windows = limits.windows();
            return limiter.activeBuckets(prefix, RateLimiter.Window.perDay(limits.perDay()))
                    .flatMapMany(Flux::fromIterable)
                    .flatMap(bucket -> limiter.status(bucket, windows)
                            .map(status -> new EndpointWindows(bucket.substring(prefix.length()),
                                    window(status.get(0)), window(status.get(1)))))
                    .sort(Comparator.comparing(EndpointWindows::endpoint))
                    .collectList()
                    .map(endpoints -> new TenantRateLimits(limits.perMinute(), limits.perDay(), endpoints));
        }).toFuture();
    }

    private static Window window(RateLimiter.WindowStatus status) {
        return new Window(status.window().limit(), status.count(), status.remaining(),
                Instant.ofEpochSecond(status.windowStartEpochSeconds()), Instant.ofEpochSecond(status.resetEpochSeconds()));
    }
}
