package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.database.DatabaseUnavailable;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the pipeline of each document version: on its submission (or the start of a reprocessing run) one
 * {@link ProcessDocumentCommand} to a worker on this node, which parses, chunks and embeds it and records the three
 * results on the Document aggregate; the embedded event is indexed by {@link TenantIndexWriter} (one writer per
 * tenant). A step that fails is reported as a failed document with the step's name and message.
 *
 * <p>A run that failed only because PostgreSQL was away (a restart: the worker's transaction, the aggregate's load or
 * the recording of its results lost their connection) is sent again once the database is back, every 0.5 s to 5 s
 * for up to {@code rag.pipeline.database-wait} (2 minutes): before, such a document was reported failed, or, as
 * recording the failure failed too, stayed "processing" until stall recovery (PostgreSQL restart drill). The run is
 * idempotent (see PipelineWorkers). The document stays in flight meanwhile, so stall recovery leaves it alone.
 *
 * <p>A plain event handler, not a saga: with the three steps in one command there is no state between events left to
 * keep. The saga it replaces stored, looked up and deleted rows in {@code saga_entry} and
 * {@code association_value_entry} for every document, which cost more than a fast embedder (issue 14). What the saga
 * did besides: ending when the document was deleted or a newer version arrived stopped nothing once the one command
 * was sent; the Document aggregate ignores results for a version it has moved past, and the index step indexes only
 * what the aggregate recorded. Events are handled in order per document (the processor's sequencing policy), and this
 * processing group is never replayed (it has side effects; see ProjectionRebuilds).
 */
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
@Component
@ProcessingGroup(DocumentPipeline.PROCESSING_GROUP)
public class DocumentPipeline {

    public static final String PROCESSING_GROUP = "document-pipeline";

    private static final Logger log = LoggerFactory.getLogger(DocumentPipeline.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final CommandGateway commands;
    private final InFlightPipelineSteps inFlight;
    private final Duration databaseWait;
    private final Duration firstPause;

    @Autowired
    DocumentPipeline(CommandGateway commands, InFlightPipelineSteps inFlight,
                     @Value("${rag.pipeline.database-wait:PT2M}") Duration databaseWait) {
        this(commands, inFlight, databaseWait, FIRST_PAUSE);
    }

    DocumentPipeline(CommandGateway commands, InFlightPipelineSteps inFlight) {
        this(commands, inFlight, Duration.ofMinutes(2), FIRST_PAUSE);
    }

    DocumentPipeline(CommandGateway commands, InFlightPipelineSteps inFlight, Duration databaseWait,
                     Duration firstPause) {
        this.commands = commands;
        this.inFlight = inFlight;
        this.databaseWait = databaseWait;
        this.firstPause = firstPause;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event) {
        start(new ProcessDocumentCommand(event.tenantId(), event.documentId(), event.version(), event.rawBlobKey(),
                event.docType()));
    }

    /** Reprocessing the same version: a fresh run of the whole pipeline from the stored raw file. */
    @EventHandler
    void on(DocumentReprocessingStartedEvent event) {
        start(new ProcessDocumentCommand(event.tenantId(), event.documentId(), event.version(), event.rawBlobKey(),
                event.docType()));
    }

    private void start(ProcessDocumentCommand command) {
        inFlight.started(command.documentId());
        dispatch(command, System.nanoTime() + databaseWait.toNanos(), firstPause);
    }

    private void dispatch(ProcessDocumentCommand command, long deadline, Duration pause) {
        DocumentId document = command.documentId();
        // sent, not awaited: the step runs on the tenant's worker lane while this processor moves on
        commands.send(command).whenComplete((result, failure) -> {
            if (failure != null && DatabaseUnavailable.causes(failure)
                    && System.nanoTime() + pause.toNanos() < deadline) {
                log.warn("Document {} version {}: the run failed because the database is unavailable; sending it"
                        + " again in {} ms", document.value(), command.version(), pause.toMillis());
                Duration next = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                        ? LONGEST_PAUSE : pause.multipliedBy(2);
                CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> dispatch(command, deadline, next));
                return;
            }
            inFlight.finished(document);
            if (failure != null) {
                // a failure before the worker named a stage (none found, refused) is one before parsing ended
                commands.send(new FailDocumentProcessingCommand(document, command.version(),
                        StepFailures.stage(failure, "parse"), StepFailures.describe(failure)));
            }
        });
    }
}
