package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.storage.StorageFullException;
import io.dynamicrag.kernel.storage.StorageUnavailableException;
import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.backoff.BackOffContext;
import org.springframework.retry.backoff.BackOffInterruptedException;
import org.springframework.retry.backoff.BackOffPolicy;
import org.springframework.retry.context.RetryContextSupport;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a pipeline step the way the seed's queue did: 3 attempts, exponential backoff from 2 s. Failures that
 * another attempt cannot fix (an unreadable document, a missing input, a step out of memory or stack) fail at once;
 * after the last attempt the step fails and the document is marked failed with the step's message.
 *
 * <p>A failure of the storage itself (S3 unreachable or answering 5xx, no space left on the data directory) is no
 * fault of the document: the step tries again every {@code storage-interval} for as long as
 * {@code storage-outage} (10 minutes by default) instead of failing the document after three quick attempts, so a
 * storage outage of a minute delays documents rather than failing them (issue 15's S3 and disk drills failed every
 * document caught in the outage). Those attempts do not count against the ordinary ones.
 * {@link #runPropagatingStorageFailure} is for steps inside an event handler, whose unit of work may not wait that
 * long: there the storage failure is thrown on after a short wait, for the event processor to retry the batch.
 */
@Component
class StepRetry {

    private static final Logger log = LoggerFactory.getLogger(StepRetry.class);
    /** How long a step inside an event handler waits for the storage before handing the failure to its processor. */
    static final Duration IN_EVENT_HANDLER_STORAGE_WAIT = Duration.ofSeconds(20);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration storageOutage;
    private final Duration storageInterval;

    StepRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, maxBackoff, Duration.ofMinutes(10), Duration.ofSeconds(5));
    }

    @Autowired
    StepRetry(@Value("${rag.pipeline.retry.max-attempts:3}") int maxAttempts,
              @Value("${rag.pipeline.retry.initial-backoff:PT2S}") Duration initialBackoff,
              @Value("${rag.pipeline.retry.max-backoff:PT30S}") Duration maxBackoff,
              @Value("${rag.pipeline.retry.storage-outage:PT10M}") Duration storageOutage,
              @Value("${rag.pipeline.retry.storage-interval:PT5S}") Duration storageInterval) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.storageOutage = storageOutage;
        this.storageInterval = storageInterval;
    }

    <T> T run(String step, Supplier<T> work) {
        return run(step, work, storageOutage, false);
    }

    void run(String step, Runnable work) {
        run(step, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Like {@link #run(String, Supplier)}, but a storage failure that lasts longer than
     * {@link #IN_EVENT_HANDLER_STORAGE_WAIT} is thrown on as a {@link StorageUnavailableException} (its document is
     * not at fault and must not be marked failed).
     */
    <T> T runPropagatingStorageFailure(String step, Supplier<T> work) {
        Duration wait = storageOutage.compareTo(IN_EVENT_HANDLER_STORAGE_WAIT) < 0 ? storageOutage
                : IN_EVENT_HANDLER_STORAGE_WAIT;
        return run(step, work, wait, true);
    }

    private <T> T run(String step, Supplier<T> work, Duration storageWait, boolean propagateStorage) {
        try {
            return template(storageWait).execute(context -> work.get());
        } catch (DocumentUnreadableException | PermanentStepException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new PipelineStepException(step + " failed: the document needs more memory than this node can give "
                    + "one document; it is too large or too complex to process", e);
        } catch (StackOverflowError e) {
            throw new PipelineStepException(step + " failed: the document is nested too deeply to process", e);
        } catch (RuntimeException e) {
            if (isStorageFailure(e)) {
                log.warn("Pipeline step {} gave up waiting for the storage after {}: {}", step, storageWait,
                        e.toString());
                if (propagateStorage) {
                    throw asStorageFailure(step, e);
                }
                String what = StorageFullException.isNoSpace(e) ? "found no space left in the storage"
                        : "could not reach the document storage";
                throw new PipelineStepException(step + " " + what + " for " + readable(storageWait)
                        + "; reprocess the document once the storage is back", e);
            }
            String reason = e instanceof PipelineStepException ? e.getMessage() : step + " failed";
            throw new PipelineStepException(reason + " (after " + maxAttempts + " attempts)", e);
        }
    }

    static boolean isStorageFailure(Throwable failure) {
        return StorageUnavailableException.in(failure) != null || StorageFullException.isNoSpace(failure);
    }

    private static StorageUnavailableException asStorageFailure(String step, RuntimeException e) {
        StorageUnavailableException storage = StorageUnavailableException.in(e);
        if (storage != null) {
            return storage;
        }
        // e.g. Lance reporting "No space left on device" from a native write
        return new StorageFullException(step + ": no space left on the data directory",
                new IOException(e.getMessage(), e));
    }

    private static String readable(Duration wait) {
        long millis = wait.toMillis();
        if (millis >= 60_000 && millis % 60_000 == 0) {
            return wait.toMinutes() + " min";
        }
        return millis % 1000 == 0 ? wait.toSeconds() + " s" : millis + " ms";
    }

    private RetryTemplate template(Duration storageWait) {
        RetryTemplate template = new RetryTemplate();
        template.setRetryPolicy(new StepRetryPolicy(maxAttempts, storageWait));
        template.setBackOffPolicy(new StepBackOff(initialBackoff, maxBackoff, storageInterval));
        template.registerListener(new RetryListener() {
            @Override
            public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                         Throwable failure) {
                if (isStorageFailure(failure)) {
                    log.warn("Pipeline step failed: storage unavailable (attempt {}, retrying every {} for up to {}): {}",
                            context.getRetryCount(), storageInterval, storageWait, failure.toString());
                } else {
                    log.warn("Pipeline step failed (attempt {} of {}): {}", context.getAttribute(ORDINARY_FAILURES),
                            maxAttempts, failure.toString());
                }
            }
        });
        return template;
    }

    private static final String STARTED = "step.started";
    private static final String ORDINARY_FAILURES = "step.ordinary-failures";

    /** Ordinary failures: {@code maxAttempts} attempts; storage failures: until {@code storageWait} has passed. */
    private record StepRetryPolicy(int maxAttempts, Duration storageWait) implements RetryPolicy {

        @Override
        public boolean canRetry(RetryContext context) {
            Throwable last = context.getLastThrowable();
            if (last == null) {
                return true;
            }
            // an Error is not retried: out of memory or stack, another attempt fails the same way, and in the fuzz
            // drill three attempts of a step per document kept the heap exhausted for minutes (issue 15)
            if (last instanceof DocumentUnreadableException || last instanceof PermanentStepException
                    || last instanceof Error) {
                return false;
            }
            if (isStorageFailure(last)) {
                return System.nanoTime() - (long) context.getAttribute(STARTED) < storageWait.toNanos();
            }
            return (int) context.getAttribute(ORDINARY_FAILURES) < maxAttempts;
        }

        @Override
        public RetryContext open(RetryContext parent) {
            RetryContextSupport context = new RetryContextSupport(parent);
            context.setAttribute(STARTED, System.nanoTime());
            context.setAttribute(ORDINARY_FAILURES, 0);
            return context;
        }

        @Override
        public void close(RetryContext context) {
        }

        @Override
        public void registerThrowable(RetryContext context, Throwable throwable) {
            ((RetryContextSupport) context).registerThrowable(throwable);
            if (throwable != null && !isStorageFailure(throwable)) {
                context.setAttribute(ORDINARY_FAILURES, (int) context.getAttribute(ORDINARY_FAILURES) + 1);
            }
        }
    }

    /** Exponential from {@code initial} up to {@code max}; after a storage failure at most {@code storageInterval}. */
    private record StepBackOff(Duration initial, Duration max, Duration storageInterval) implements BackOffPolicy {

        private static final class Waits implements BackOffContext {
            private final RetryContext retry;
            private long nextMillis;

            Waits(RetryContext retry, long nextMillis) {
                this.retry = retry;
                this.nextMillis = nextMillis;
            }
        }

        @Override
        public BackOffContext start(RetryContext context) {
            return new Waits(context, initial.toMillis());
        }

        @Override
        public void backOff(BackOffContext backOffContext) {
            Waits waits = (Waits) backOffContext;
            long wait;
            if (isStorageFailure(waits.retry.getLastThrowable())) {
                wait = Math.min(waits.nextMillis, storageInterval.toMillis());
            } else {
                wait = waits.nextMillis;
                waits.nextMillis = Math.min(waits.nextMillis * 2, max.toMillis());
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackOffInterruptedException("Interrupted while waiting to retry a pipeline step", e);
            }
        }
    }
}
