package io.dynamicrag.processing.callbacks;

import java.time.Duration;

/**
 * Delivery of completion callbacks: {@code maxAttempts} in all, the n-th retry after {@code baseDelay * 2^(n-1)}
 * (2 s, 4 s, ...), each POST bounded by {@code connectTimeout} and {@code timeout}, on {@code threads} threads.
 */
record CallbackSettings(int maxAttempts, Duration baseDelay, Duration connectTimeout, Duration timeout,
                        int threads) {

    CallbackSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("rag.webhooks.callback.max-attempts must be at least 1");
        }
        if (baseDelay == null || baseDelay.isNegative()) {
            throw new IllegalArgumentException("rag.webhooks.callback.base-delay must not be negative");
        }
        threads = Math.max(1, threads);
    }

    Duration delayBefore(int attempt) {
        return attempt <= 1 ? Duration.ZERO : baseDelay.multipliedBy(1L << Math.min(20, attempt - 2));
    }
}
