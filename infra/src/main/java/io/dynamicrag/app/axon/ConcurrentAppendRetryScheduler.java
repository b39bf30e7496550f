package io.dynamicrag.app.axon;

import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Sends a command again, after 20, 40, 80 ... ms, when it failed only because another node appended to the same
 * aggregate first (PostgreSQL's unique key on aggregate and sequence number, reported as a
 * {@link ConcurrencyException}); the retry runs on the aggregate's fresh state. Every other failure is the command's
 * answer and is never retried. (Axon's predicate is asked about each cause separately and any "non-transient" cause
 * wins, which would veto every retry: hence the override of the whole decision.)
 */
final class ConcurrentAppendRetryScheduler extends ExponentialBackOffIntervalRetryScheduler
        implements AutoCloseable {

    private final ScheduledExecutorService executor;

    private ConcurrentAppendRetryScheduler(Builder builder, ScheduledExecutorService executor) {
        super(builder);
        this.executor = executor;
    }

    /** With a retry thread of its own, stopped by {@link #close()}. */
    static ConcurrentAppendRetryScheduler create(int maxRetries) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-conflict-retry");
            thread.setDaemon(true);
            return thread;
        });
        return new ConcurrentAppendRetryScheduler(ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .backoffFactor(20)
                .maxRetryCount(maxRetries), executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
        return !isConcurrentAppend(failure);
    }

    static boolean isConcurrentAppend(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
