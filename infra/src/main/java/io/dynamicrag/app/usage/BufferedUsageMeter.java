package io.dynamicrag.app.usage;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.UsageMeter;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Adds up directly measured usage in memory and records it every {@code rag.usage.flush-interval} as one
 * {@link RecordUsageCommand} per tenant, metric and details (e.g. per endpoint), so a busy API appends a handful of
 * events every few seconds instead of one per request. A command that fails is added back and tried at the next
 * flush (the command bus runs it in the flushing thread, so a failure means nothing was appended).
 *
 * <p>Stops after the web server has drained (phase below the server's) and before Axon, flushing a last time:
 * a graceful shutdown loses nothing; a crash loses at most one interval of counts (documented).
 */
public class BufferedUsageMeter implements UsageMeter, SmartLifecycle {

    /**
     * Stops after WebServerGracefulShutdown (MAX - 1024) and the server's stop (MAX - 2048), and before Axon
     * (SpringAxonConfiguration, MAX - 3072): the last flush still finds the command handlers. (It used to stop after
     * Axon, and every node's shutdown lost its last interval of API-call counts to NoHandlerForCommandException.)
     */
    static final int PHASE = Integer.MAX_VALUE - 2560;
    private static final Logger log = LoggerFactory.getLogger(BufferedUsageMeter.class);

    private final CommandGateway commands;
    private final Duration interval;
    private final Clock clock;
    /** Recorders share the read lock; a flush takes the write lock only to swap in an empty map (no count lost). */
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private ConcurrentHashMap<Key, LongAdder> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;
    private volatile boolean running;

    public BufferedUsageMeter(CommandGateway commands, Duration interval, Clock clock) {
        this.commands = commands;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void record(TenantId tenant, UsageMetric metric, long quantity, Map<String, String> details) {
        if (quantity <= 0) {
            return;
        }
        Key key = new Key(tenant, metric, Map.copyOf(details == null ? Map.of() : details));
        swap.readLock().lock();
        try {
            pending.computeIfAbsent(key, k -> new LongAdder()).add(quantity);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Records everything counted so far; safe to call from any thread. */
    public synchronized void flush() {
        ConcurrentHashMap<Key, LongAdder> batch;
        swap.writeLock().lock();
        try {
            batch = pending;
            pending = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        for (Map.Entry<Key, LongAdder> entry : batch.entrySet()) {
            Key key = entry.getKey();
            long quantity = entry.getValue().sum();
            if (quantity == 0) {
                continue;
            }
            try {
                commands.sendAndWait(RecordUsageCommand.measured(key.tenant(), key.metric(), quantity,
                        BigDecimal.ZERO, key.details(), clock.instant()));
            } catch (RuntimeException e) {
                log.warn("Could not record {} {} of tenant {}; retrying at the next flush: {}", quantity,
                        key.metric().code(), key.tenant(), e.toString());
                record(key.tenant(), key.metric(), quantity, key.details());
            }
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "usage-meter-flush");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, interval.toMillis());
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushQuietly();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Usage flush failed: {}", e.toString());
        }
    }

    private record Key(TenantId tenant, UsageMetric metric, Map<String, String> details) {
    }
}
