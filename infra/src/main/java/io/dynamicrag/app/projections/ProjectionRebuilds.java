package io.dynamicrag.app.projections;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Rebuilds read models from the event store.
 *
 * <p>A tracking projection is replayed the Axon way: stop it on this node, reset its token (its
 * {@code @ResetHandler} empties its tables in the same transaction), start it; it then catches up in the
 * background and {@link #status} shows the progress. A subscribing projection has no token: it is rebuilt in one
 * transaction by emptying its tables (TRUNCATE locks them, so a concurrent command's inline update waits and is
 * applied once, after the rebuild) and handing it every stored event it handles.
 *
 * <p>Only read models are rebuilt. Sagas and processors with side effects (pipeline steps, index maintenance,
 * callbacks, metrics) would repeat those effects on a replay, so they are refused.
 */
@Component
public class ProjectionRebuilds {

    /** Processing groups whose handlers only write read-model tables and whose reset handler empties them. */
    static final Set<String> READ_MODELS = Set.of("document-projection", "tenant-projection", "webhook-projection",
            "usage-projection", "index-generation-projection");

    /** Processing groups that write rows of a read model at commit time which another group rebuilds. */
    static final Map<String, String> REBUILT_BY = Map.of("document-intake", "document-projection");

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine storage;
    private final TransactionManager transactions;
    private final ProcessorPositions positions;

    public ProjectionRebuilds(EventProcessingConfiguration processing, EventStorageEngine storage,
                              TransactionManager transactions, ProcessorPositions positions) {
        this.processing = processing;
        this.storage = storage;
        this.transactions = transactions;
        this.positions = positions;
    }

    /**
     * {@code caught_up}: the processor has handled every stored event (lag 0). {@code replaying} is Axon's replay
     * flag, which stays true after a replay has caught up until the first event newer than the reset arrives.
     */
    public record ProjectionStatus(String name, String mode, boolean rebuildable, Boolean running, Boolean replaying,
                                   Boolean caughtUp, Long position, long head, Long lag, Long deadLetters) {
    }

    public record RebuildResult(String name, String mode, String status, long head, Long eventsApplied) {
    }

    public List<ProjectionStatus> statuses() {
        return processing.eventProcessors().keySet().stream()
                .sorted(Comparator.naturalOrder())
                .map(this::status)
                .toList();
    }

    public ProjectionStatus status(String name) {
        EventProcessor processor = processor(name);
        long head = positions.head();
        Long deadLetters = processing.deadLetterQueue(name).map(ProjectionRebuilds::size).orElse(null);
        if (processor instanceof StreamingEventProcessor tracking) {
            var found = positions.position(name);
            Long position = found.isPresent() ? found.getAsLong() : null;
            long lag = Math.max(0, head - (position == null ? -1 : position));
            boolean replaying = tracking.isReplaying()
                    || tracking.processingStatus().values().stream().anyMatch(s -> s.isReplaying());
            return new ProjectionStatus(name, streamingMode(tracking), READ_MODELS.contains(name), tracking.isRunning(),
                    replaying, lag == 0, position, head, lag, deadLetters);
        }
        // a subscribing processor handles each event in the transaction that stores it: never behind
        return new ProjectionStatus(name, "subscribing", READ_MODELS.contains(name), processor.isRunning(), false,
                true, null, head, 0L, deadLetters);
    }

    public RebuildResult rebuild(String name) {
        EventProcessor processor = processor(name);
        if (REBUILT_BY.containsKey(name)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' only writes rows at commit "
                    + "time; rebuild '" + REBUILT_BY.get(name) + "', which rebuilds them");
        }
        if (!READ_MODELS.contains(name)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is not a read model: replaying "
                    + "it would repeat its side effects (pipeline steps, index deletions, callbacks or metrics). "
                    + "Rebuildable: " + READ_MODELS.stream().sorted().toList());
        }
        if (processor instanceof StreamingEventProcessor tracking) {
            return replay(tracking);
        }
        if (processor instanceof SubscribingEventProcessor subscribing) {
            return reapply(subscribing);
        }
        throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is neither streaming nor subscribing");
    }

    /** "pooled" (segments shared by the nodes) or "tracking". */
    private static String streamingMode(StreamingEventProcessor processor) {
        return processor instanceof PooledStreamingEventProcessor ? "pooled" : "tracking";
    }

    private RebuildResult replay(StreamingEventProcessor tracking) {
        String name = tracking.getName();
        long head = positions.head();
        var position = positions.position(name);
        if (tracking.isReplaying() && position.isPresent() && position.getAsLong() < head) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is still replaying (at "
                    + position.getAsLong() + " of " + head + ")");
        }
        log.info("Replaying {} from the start of the event store (head {})", name, head);
        tracking.shutDown();
        try {
            // dead letters of the old run would be handled twice: the replay meets those events again
            processing.deadLetterQueue(name).ifPresent(SequencedDeadLetterQueue::clear);
            tracking.resetTokens();
        } catch (UnableToClaimTokenException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is running on another node: "
                    + "stop it there before replaying");
        } finally {
            tracking.start();
        }
        return new RebuildResult(name, streamingMode(tracking), "replaying", head, null);
    }

    private RebuildResult reapply(SubscribingEventProcessor subscribing) {
        String name = subscribing.getName();
        EventHandlerInvoker invoker = subscribing.eventHandlerInvoker();
        AtomicLong applied = new AtomicLong();
        AtomicLong last = new AtomicLong(-1);
        log.info("Rebuilding {} from the event store", name);
        transactions.executeInTransaction(() -> {
            invoker.performReset();
            try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
                events.forEach(event -> {
                    last.set(event.trackingToken().position().orElse(last.get()));
                    if (invoker.canHandle(event, Segment.ROOT_SEGMENT)) {
                        handle(invoker, event);
                        applied.incrementAndGet();
                    }
                });
            }
        });
        log.info("Rebuilt {}: {} events applied", name, applied.get());
        return new RebuildResult(name, "subscribing", "rebuilt", last.get(), applied.get());
    }

    private static void handle(EventHandlerInvoker invoker, TrackedEventMessage<?> event) {
        try {
            invoker.handle(event, Segment.ROOT_SEGMENT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot apply " + event.getPayloadType().getSimpleName(), e);
        }
    }

    public record DeadLetterRun(String name, int sequencesProcessed, long remaining) {
    }

    /**
     * Hands the processor's dead letters back to it, oldest sequence first, until none is left or one fails again
     * (it then stays queued with its new cause).
     */
    public DeadLetterRun processDeadLetters(String name) {
        processor(name);
        var queue = processing.deadLetterQueue(name).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.CONFLICT, "'" + name + "' has no dead-letter queue"));
        var processor = processing.sequencedDeadLetterProcessor(name).orElseThrow();
        int processed = 0;
        long before = queue.amountOfSequences();
        // each call takes one sequence; a sequence that fails again is not offered twice in this run
        for (long i = 0; i < before && processor.processAny(); i++) {
            processed++;
        }
        return new DeadLetterRun(name, processed, queue.size());
    }

    private EventProcessor processor(String name) {
        return processing.eventProcessor(name)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No event processor named '" + name + "'"));
    }

    private static long size(SequencedDeadLetterQueue<?> queue) {
        return queue.size();
    }
}
