package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.ResumeProcessingCommand;
import io.dynamicrag.processing.index.LocalSegmentClaims;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Finds documents whose processing made no progress for {@code rag.pipeline.stall-timeout} (a worker was killed
 * mid-step: the step's command lived only in its memory) and restarts their pipeline. Steps are idempotent, so a
 * restart indexes every chunk exactly once. A document whose step is queued or running in this process
 * ({@link InFlightPipelineSteps}) is waiting its turn, not stalled, and is left alone: restarting queued work would
 * only queue it again, and under a long queue turn into a storm of restarts. On many workers, each restarts only the
 * documents whose pipeline saga it holds. Runs at start-up and then every {@code stall-check-interval}.
 */
@Component
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
public class StalledPipelineRecovery {

    private static final Logger log = LoggerFactory.getLogger(StalledPipelineRecovery.class);

    private final JdbcTemplate jdbc;
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

    StalledPipelineRecovery(JdbcTemplate jdbc, CommandGateway commands, InFlightPipelineSteps inFlight,
                            LocalSegmentClaims claims,
                            @Value("${rag.pipeline.stall-timeout:PT10M}") Duration stallTimeout,
                            @Value("${rag.pipeline.stall-check-interval:PT1M}") Duration interval,
                            @Value("${rag.pipeline.resume-quiet-period:PT30S}") Duration quietPeriod) {
        this.quietPeriod = quietPeriod.compareTo(stallTimeout) > 0 ? stallTimeout : quietPeriod;
        this.jdbc = jdbc;
        this.commands = commands;
        this.inFlight = inFlight;
        this.claims = claims;
        this.stallTimeout = stallTimeout;
        this.interval = interval;
    }

    /**
     * A stalled document is this node's to restart when its pipeline saga lives in a segment this node holds (the
     * saga's steps ran, or would run, here); one without a saga goes by its own id. Either way exactly one live node
     * answers for it, and the aggregate's quiet-period check covers the moment a segment changes hands.
     */
    private boolean isMine(UUID document, String sagaId) {
        return claims.holds(DocumentProcessingSaga.PROCESSING_GROUP, sagaId != null ? sagaId : document.toString());
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
            List<UUID> stalled = jdbc.query("""
                            SELECT d.id,
                                   (SELECT a.saga_id FROM association_value_entry a
                                    WHERE a.association_key = 'documentId' AND a.association_value = d.id::text
                                      AND a.saga_type = ? ORDER BY a.saga_id LIMIT 1) AS saga_id
                            FROM documents d
                            WHERE d.status = 'processing' AND d.updated_at < now() - make_interval(secs => ?)
                            ORDER BY d.updated_at LIMIT 500""",
                    (rs, i) -> isMine(rs.getObject(1, UUID.class), rs.getString(2))
                            ? rs.getObject(1, UUID.class) : null,
                    DocumentProcessingSaga.class.getName(), (double) stallTimeout.toMillis() / 1000.0)
                    .stream().filter(java.util.Objects::nonNull).filter(id -> !inFlight.holds(id)).toList();
            for (UUID id : stalled) {
                log.warn("Document {} made no progress for {}: restarting its pipeline", id, stallTimeout);
                // should another node have restarted it a moment ago (the saga's segment changing hands), the
                // aggregate sees that progress and this restart changes nothing
                commands.sendAndWait(new ResumeProcessingCommand(new DocumentId(id), "stalled", quietPeriod));
            }
            return stalled.size();
        } catch (RuntimeException e) {
            log.warn("Could not check for stalled documents: {}", e.toString());
            return 0;
        }
    }
}
