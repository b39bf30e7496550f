package io.dynamicrag.processing.callbacks;

import io.dynamicrag.kernel.webhooks.WebhookCallbackTargets;
import io.dynamicrag.kernel.webhooks.WebhookCallbackTargets.CallbackTarget;
import io.dynamicrag.processing.fetch.FetchFailedException;
import io.dynamicrag.processing.fetch.FetchRefusedException;
import io.dynamicrag.processing.fetch.SafeHttpPoster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers completion callbacks on its own small pool, never on the event processor's thread: each attempt looks
 * the webhook's callback up again (a webhook deleted meanwhile gets nothing), signs the body and POSTs it through
 * {@link SafeHttpPoster}. A network error or a non-2xx answer is retried with exponential backoff up to
 * {@code maxAttempts}; a refused address is not retried. The final outcome is logged and recorded in
 * {@link CallbackDeliveryLog}; a failure never touches ingestion. Retries wait in memory: a restart drops them
 * (logged at shutdown).
 */
class CallbackSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);

    private final WebhookCallbackTargets targets;
    private final SafeHttpPoster poster;
    private final CallbackDeliveryLog deliveries;
    private final CallbackSettings settings;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    CallbackSender(WebhookCallbackTargets targets, SafeHttpPoster poster, CallbackDeliveryLog deliveries,
                   CallbackSettings settings, Clock clock) {
        this.targets = targets;
        this.poster = poster;
        this.deliveries = deliveries;
        this.settings = settings;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "webhook-callback-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Returns at once; the first attempt runs on the callback pool. */
    void send(CompletionCallback callback) {
        schedule(callback, 1);
    }

    private void schedule(CompletionCallback callback, int attempt) {
        Duration delay = settings.delayBefore(attempt);
        try {
            executor.schedule(() -> attempt(callback, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("Callback {} of webhook {} for document {} v{} dropped: shutting down", callback.deliveryId(),
                    callback.webhookId(), callback.documentId(), callback.version());
        }
    }

    private void attempt(CompletionCallback callback, int attempt) {
        try {
            Optional<CallbackTarget> target = targets.find(callback.tenantId(), callback.webhookId());
            if (target.isEmpty()) {
                // most webhooks have no callback_url: nothing to deliver, nothing to record. A target that went
                // away between attempts (deleted webhook, removed callback_url) is recorded as skipped.
                if (attempt > 1) {
                    log.info("Callback {} skipped: webhook {} was deleted or lost its callback_url",
                            callback.deliveryId(), callback.webhookId());
                    deliveries.record(callback, "skipped", attempt - 1, null, "no callback_url any more");
                }
                return;
            }
            byte[] body = callback.body();
            int status = poster.postJson(target.get().url(), headers(callback, target.get(), body), body);
            if (status >= 200 && status < 300) {
                log.debug("Callback {} delivered to webhook {} (HTTP {}, attempt {})", callback.deliveryId(),
                        callback.webhookId(), status, attempt);
                deliveries.record(callback, "delivered", attempt, status, null);
                return;
            }
            retryOrGiveUp(callback, attempt, status, "the receiver answered HTTP " + status);
        } catch (FetchRefusedException e) {
            log.warn("Callback {} of webhook {} refused: {}", callback.deliveryId(), callback.webhookId(),
                    e.getMessage());
            deliveries.record(callback, "refused", attempt, null, e.getMessage());
        } catch (FetchFailedException e) {
            retryOrGiveUp(callback, attempt, null, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Callback {} of webhook {}: unexpected error", callback.deliveryId(), callback.webhookId(), e);
            retryOrGiveUp(callback, attempt, null, "internal error");
        }
    }

    private Map<String, String> headers(CompletionCallback callback, CallbackTarget target, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CallbackSignature.HEADER, CallbackSignature.of(target.signingSecret(), body));
        headers.put(CallbackSignature.TIMESTAMP_HEADER, Long.toString(clock.instant().getEpochSecond()));
        headers.put(CallbackSignature.DELIVERY_HEADER, callback.deliveryId().toString());
        headers.put(CallbackSignature.WEBHOOK_HEADER, callback.webhookId().toString());
        return headers;
    }

    private void retryOrGiveUp(CompletionCallback callback, int attempt, Integer status, String error) {
        if (attempt < settings.maxAttempts()) {
            log.info("Callback {} of webhook {} failed (attempt {} of {}): {}; retrying in {} ms",
                    callback.deliveryId(), callback.webhookId(), attempt, settings.maxAttempts(), error,
                    settings.delayBefore(attempt + 1).toMillis());
            schedule(callback, attempt + 1);
            return;
        }
        log.warn("Callback {} of webhook {} for document {} v{} ({}) failed after {} attempts: {}",
                callback.deliveryId(), callback.webhookId(), callback.documentId(), callback.version(),
                callback.status(), attempt, error);
        deliveries.record(callback, "failed", attempt, status, error);
    }

    @Override
    public void close() {
        int pending = executor.getQueue().size();
        if (pending > 0) {
            log.warn("Shutting down with {} webhook callback deliveries still waiting; they are dropped", pending);
        }
        executor.shutdownNow();
    }
}
