package io.dynamicrag.app.axon;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Axon's embedded event store, whose streams wake their pooled streaming processors promptly. The embedded store's
 * streams offer no "events available" callback, so an idle {@code PooledStreamingEventProcessor} looked for new
 * events only every 500 ms: each hop of a document (submitted, parsed, chunked, embedded, indexed) and the ingest
 * request's read-your-write wait for the projection took a quarter of a second on average and up to half a second.
 *
 * <p>Here every stream accepts the callback, and the store calls all of them: shortly after a commit in this JVM
 * (once the store's producer has had a moment to read the new events), and every {@code wakeInterval} for events
 * other nodes append. A call only schedules the processor's coordinator, which collapses repeated requests and reads
 * its stream on its own thread, so a wake with nothing new costs a look at the store's in-memory cache.
 */
public class PromptEventStore extends EmbeddedEventStore {

    /** How long after a local commit the processors are woken: the store's producer fetches the events first. */
    private static final long AFTER_COMMIT_MILLIS = 3;

    private final Set<Runnable> wakers = ConcurrentHashMap.newKeySet();
    /** A wake after a commit is already scheduled: commits meanwhile are covered by it. */
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-waker");
        thread.setDaemon(true);
        return thread;
    });

    public PromptEventStore(Builder builder, Duration wakeInterval) {
        super(builder);
        long interval = Math.max(1, wakeInterval.toMillis());
        scheduler.scheduleWithFixedDelay(this::wakeAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        if (!wakers.isEmpty() && wakeScheduled.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                wakeScheduled.set(false);
                wakeAll();
            }, AFTER_COMMIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new WakingStream(super.openStream(trackingToken));
    }

    @Override
    public void shutDown() {
        scheduler.shutdownNow();
        super.shutDown();
    }

    private void wakeAll() {
        for (Runnable waker : wakers) {
            try {
                waker.run();
            } catch (RuntimeException e) {
                // a processor that is shutting down; the others still get woken
            }
        }
    }

    /** Delegates everything, and registers the consumer's callback with the store. */
    private final class WakingStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private volatile Runnable waker;

        private WakingStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            Runnable previous = waker;
            if (previous != null) {
                wakers.remove(previous);
            }
            waker = callback;
            wakers.add(callback);
            return true;
        }

        @Override
        public void close() {
            Runnable registered = waker;
            if (registered != null) {
                wakers.remove(registered);
            }
            delegate.close();
        }
    }
}
