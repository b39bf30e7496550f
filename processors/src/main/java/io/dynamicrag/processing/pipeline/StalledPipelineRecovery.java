package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.ResumeProcessingCommand;
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
 * only queue it again, and under a long queue turn into a storm of restarts. Runs at start-up and then every
 * {@code stall-check-interval}.
 */
@Component
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
public class StalledPipelineRecovery {

    private static final Logger log = LoggerFactory.getLogger(StalledPipelineRecovery.class);

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;
    private final InFlightPipelineSteps inFlight;
    private final Duration stallTimeout;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-recovery");
        t.setDaemon(true);
        return t;
    });

    StalledPipelineRecovery(JdbcTemplate jdbc, CommandGateway commands, InFlightPipelineSteps inFlight,
                            @Value("${rag.pipeline.stall-timeout:PT10M}") Duration stallTimeout,
                            @Value("${rag.pipeline.stall-check-interval:PT1M}") Duration interval) {
        this.jdbc = jdbc;
        this.commands = commands;
        this.inFlight = inFlight;
        this.stallTimeout = stallTimeout;
        this.interval = interval;
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
            List<UUID> stalled = jdbc.queryForList("""
                    SELECT id FROM documents
                    WHERE status = 'processing' AND updated_at < now() - make_interval(secs => ?)
                    ORDER BY updated_at LIMIT 500""", UUID.class, (double) stallTimeout.toSeconds())
                    .stream().filter(id -> !inFlight.holds(id)).toList();
            for (UUID id : stalled) {
                log.warn("Document {} made no progress for {}: restarting its pipeline", id, stallTimeout);
                commands.sendAndWait(new ResumeProcessingCommand(new DocumentId(id), "stalled"));
            }
            return stalled.size();
        } catch (RuntimeException e) {
            log.warn("Could not check for stalled documents: {}", e.toString());
            return 0;
        }
    }
}
