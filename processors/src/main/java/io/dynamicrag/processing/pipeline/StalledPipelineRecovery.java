package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.ResumeProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.query.FindStalledDocumentsQuery;
import io.dynamicrag.processing.index.LocalSegmentClaims;
import io.dynamicrag.processing.readmodel.ReadModelQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finds documents whose processing made no progress for {@code rag.pipeline.stall-timeout} (a worker was killed
 * mid-step: the step's command lived only in its memory) and restarts their pipeline. Steps are idempotent, so a
 * restart indexes every chunk exactly once. A document whose step is queued or running in this process
 * ({@link InFlightPipelineSteps}) is waiting its turn, not stalled, and is left alone: restarting queued work would
 * only queue it again, and under a long queue turn into a storm of restarts. On many workers, each restarts only the
 * documents whose pipeline events it handles. Runs at start-up and then every {@code stall-check-interval}.
 *
 * <p>The stalled documents come from the query side's document read model ({@link FindStalledDocumentsQuery}): one
 * query per sweep.
 */
@Component
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
public class StalledPipelineRecovery {

    private static final Logger log = LoggerFactory.getLogger(StalledPipelineRecovery.class);

    /** As many stalled documents as one sweep restarts; the next sweep takes the rest. */
    static final int SWEEP_LIMIT = 500;

    private final ReadModelQueries queries;
    private final CommandGateway commands;
    private final InFlightPipelineSteps inFlight;
    private final LocalSegmentClaims claims;
    private final Duration stallTimeout;
    private final Duration interval;
    private final Duration quietPeriod;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-recovery");
        t.setDaemon(true);
        return t;
    });

    StalledPipelineRecovery(ReadModelQueries queries, CommandGateway commands,
                            InFlightPipelineSteps inFlight, LocalSegmentClaims claims,
                            @Value("${rag.pipeline.stall-timeout:PT10M}") Duration stallTimeout,
                            @Value("${rag.pipeline.stall-check-interval:PT1M}") Duration interval,
                            @Value("${rag.pipeline.resume-quiet-period:PT30S}") Duration quietPeriod) {
        this.quietPeriod = quietPeriod.compareTo(stallTimeout) > 0 ? stallTimeout : quietPeriod;
        this.queries = queries;
        this.commands = commands;
        this.inFlight = inFlight;
        this.claims = claims;
        this.stallTimeout = stallTimeout;
        this.interval = interval;
    }

    /**
     * A stalled document is this node's to restart when its pipeline events are handled in a segment this node holds
     * (its step ran, or would run, here): exactly one live node answers for it, and the aggregate's quiet-period check
     * covers the moment a segment changes hands.
     */
    private boolean isMine(DocumentId document) {
        return claims.holds(DocumentPipeline.PROCESSING_GROUP, document.toString());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::resumeStalled, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** Returns how many documents were restarted. */
    public int resumeStalled() {
        try {
            List<DocumentId> stalled = queries.list(new FindStalledDocumentsQuery(stallTimeout, SWEEP_LIMIT),
                            DocumentId.class)
                    .stream().filter(id -> !inFlight.holds(id.value())).filter(this::isMine).toList();
            for (DocumentId id : stalled) {
                log.warn("Document {} made no progress for {}: restarting its pipeline", id, stallTimeout);
                // should another node have restarted it a moment ago (the segment changing hands), the
                // aggregate sees that progress and this restart changes nothing
                commands.sendAndWait(new ResumeProcessingCommand(id, "stalled", quietPeriod));
            }
            return stalled.size();
        } catch (RuntimeException e) {
            log.warn("Could not check for stalled documents: {}", e.toString());
            return 0;
        }
    }
}
