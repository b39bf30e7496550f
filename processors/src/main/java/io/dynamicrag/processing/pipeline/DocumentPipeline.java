package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Starts the pipeline of each document version: on its submission (or the start of a reprocessing run) one
 * {@link ProcessDocumentCommand} to a worker on this node, which parses, chunks and embeds it and records the three
 * results on the Document aggregate; the embedded event is indexed by {@link TenantIndexWriter} (one writer per
 * tenant). A step that fails is reported as a failed document with the step's name and message.
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

    private final CommandGateway commands;
    private final InFlightPipelineSteps inFlight;

    DocumentPipeline(CommandGateway commands, InFlightPipelineSteps inFlight) {
        this.commands = commands;
        this.inFlight = inFlight;
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
        DocumentId document = command.documentId();
        inFlight.started(document);
        // sent, not awaited: the step runs on the tenant's worker lane while this processor moves on
        commands.send(command)
                .whenComplete((result, failure) -> inFlight.finished(document))
                .exceptionally(failure -> {
                    // a failure before the worker named a stage (none found, refused) is one before parsing ended
                    commands.send(new FailDocumentProcessingCommand(document, command.version(),
                            StepFailures.stage(failure, "parse"), StepFailures.describe(failure)));
                    return null;
                });
    }
}
