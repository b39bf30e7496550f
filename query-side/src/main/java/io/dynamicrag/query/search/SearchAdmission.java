package io.dynamicrag.query.search;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs searches (REST and MCP) on a pool of their own with a bounded queue, and sheds what it cannot answer in time
 * with {@link SearchOverloadedException} (503 with Retry-After; an MCP tool error), so that an overloaded node answers
 * the searches it takes at their usual speed instead of working through a backlog its clients have given up on.
 * A search is shed when the queue is full, when it waited longer than {@code maxWait} for a thread (its client is
 * told at once rather than after the work), or when it has not answered within {@code timeout} (the native scan
 * keeps its thread until it returns, so the pool size still bounds the work in progress).
 *
 * <p>Searches embed the query and scan Lance: CPU and native work that must not hold the shared bounded-elastic
 * threads, which authentication and the other blocking reads need (issue 15's soak: 8 of 20 bounded-elastic threads
 * were in Lance scans while API-key lookups queued behind them).
 */
public class SearchAdmission implements AutoCloseable {

    /** What a shed search's client is told to wait before sending it again. */
    public static final long RETRY_AFTER_SECONDS = 1;

    private final ThreadPoolExecutor executor;
    private final Scheduler scheduler;
    private final Settings settings;
    private final LongSupplier nanoTime;
    private final AtomicLong shedQueueFull = new AtomicLong();
    private final AtomicLong shedWaited = new AtomicLong();
    private final AtomicLong shedTimedOut = new AtomicLong();

    public SearchAdmission(Settings settings) {
        this(settings, System::nanoTime);
    }

    SearchAdmission(Settings settings, LongSupplier nanoTime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        CustomizableThreadFactory threads = new CustomizableThreadFactory("rag-search-");
        threads.setDaemon(true);
        this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queue()), threads, new ThreadPoolExecutor.AbortPolicy());
        this.scheduler = Schedulers.fromExecutorService(executor, "rag-search");
    }

    /**
     * Subscribes to {@code search} (a query-bus call whose handler runs in the calling thread) on a search thread, or
     * fails with {@link SearchOverloadedException} as described above.
     */
    public <R> Mono<R> admit(Supplier<CompletableFuture<R>> search) {
        return Mono.defer(() -> {
            long queuedAt = nanoTime.getAsLong();
            return Mono.defer(() -> {
                        long waitedNanos = nanoTime.getAsLong() - queuedAt;
                        if (waitedNanos > settings.maxWait().toNanos()) {
                            shedWaited.incrementAndGet();
                            return Mono.error(new SearchOverloadedException("Search is overloaded: this search "
                                    + "waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms for its turn "
                                    + "(at most " + settings.maxWait().toMillis() + " ms) and was not run; send it "
                                    + "again shortly", RETRY_AFTER_SECONDS));
                        }
                        return Mono.fromFuture(search);
                    })
                    .subscribeOn(scheduler);
        }).onErrorMap(RejectedExecutionException.class, e -> {
            shedQueueFull.incrementAndGet();
            return new SearchOverloadedException("Search is overloaded: " + settings.queue() + " searches are "
                    + "already waiting for one of " + settings.threads() + " search threads; send it again shortly",
                    RETRY_AFTER_SECONDS);
        }).timeout(settings.timeout(), Mono.defer(() -> {
            shedTimedOut.incrementAndGet();
            return Mono.error(new SearchOverloadedException("Search is overloaded: no answer within "
                    + settings.timeout().toMillis() + " ms; send it again shortly", RETRY_AFTER_SECONDS));
        }));
    }

    /** Searches waiting for a thread. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Searches running. */
    public int active() {
        return executor.getActiveCount();
    }

    public long shedQueueFull() {
        return shedQueueFull.get();
    }

    public long shedWaited() {
        return shedWaited.get();
    }

    public long shedTimedOut() {
        return shedTimedOut.get();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        scheduler.dispose();
        executor.shutdownNow();
    }

    /**
     * {@code threads} searches at once, {@code queue} more waiting; a search waits at most {@code maxWait} for a
     * thread and is answered or shed within {@code timeout}.
     */
    public record Settings(int threads, int queue, Duration maxWait, Duration timeout) {

        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("rag.search.threads must be at least 1: " + threads);
            }
            if (queue < 1) {
                throw new IllegalArgumentException("rag.search.queue must be at least 1: " + queue);
            }
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(timeout, "timeout");
            if (maxWait.isNegative() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("rag.search.max-wait must not be negative and rag.search.timeout "
                        + "must be positive: " + maxWait + ", " + timeout);
            }
            if (maxWait.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException("rag.search.max-wait (" + maxWait + ") must be shorter than "
                        + "rag.search.timeout (" + timeout + ")");
            }
        }
    }
}
