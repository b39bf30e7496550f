package io.dynamicrag.processing.pipeline;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Drives one version of a document through parse -> chunk -> embed -> index. Parse, chunk and embed are one command
 * to a worker on this node ({@link ProcessDocumentCommand}), which runs them back to back with the text and chunks
 * in memory and reports all three results to the Document aggregate at once; the embedded event is indexed by
 * {@link TenantIndexWriter} (one writer per tenant), whose indexed event ends the saga. A step that fails is reported
 * as a failed document with the step's name and message. A newer version of the same document ends the saga of the
 * older one, so superseded work stops.
 *
 * <p>One command instead of one per step: each hop through the event store cost a saga lookup and update, a
 * Document aggregate load and a transaction, more than the steps themselves with a fast embedder (issue 14).
 */
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
@Saga
@ProcessingGroup(DocumentProcessingSaga.PROCESSING_GROUP)
public class DocumentProcessingSaga {

    public static final String PROCESSING_GROUP = "document-pipeline";
    private static final String DOCUMENT_ID = "documentId";

    private transient CommandGateway commandGateway;
    private transient InFlightPipelineSteps inFlight;

    private String tenantId;
    private String documentId;
    private int version;

    @Autowired
    public void setCommandGateway(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
    }

    @Autowired
    public void setInFlight(InFlightPipelineSteps inFlight) {
        this.inFlight = inFlight;
    }

    @StartSaga(forceNew = true)
    @SagaEventHandler(associationProperty = DOCUMENT_ID)
    public void on(DocumentSubmittedEvent event) {
        if (documentId != null) {
            if (event.version() != version) {
                SagaLifecycle.end();
            }
            return;
        }
        tenantId = event.tenantId().toString();
        documentId = event.documentId().toString();
        version = event.version();
        dispatch(new ProcessDocumentCommand(tenant(), document(), version, event.rawBlobKey(), event.docType()));
    }

    /** Reprocessing the same version: a fresh run of the whole pipeline from the stored raw file. */
    @StartSaga(forceNew = true)
    @SagaEventHandler(associationProperty = DOCUMENT_ID)
    public void on(DocumentReprocessingStartedEvent event) {
        if (documentId != null) {
            // an older saga of this document: the new run supersedes it
            SagaLifecycle.end();
            return;
        }
        tenantId = event.tenantId().toString();
        documentId = event.documentId().toString();
        version = event.version();
        dispatch(new ProcessDocumentCommand(tenant(), document(), version, event.rawBlobKey(), event.docType()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DOCUMENT_ID)
    public void on(DocumentDeletedEvent event) {
        // deleted: no step may run any more
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DOCUMENT_ID)
    public void on(DocumentIndexedEvent event) {
        // completed: nothing left to drive
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DOCUMENT_ID)
    public void on(DocumentProcessingFailedEvent event) {
        // failed: the reason is on the document
    }

    private void dispatch(ProcessDocumentCommand command) {
        DocumentId document = document();
        int forVersion = version;
        inFlight.started(document);
        commandGateway.send(command)
                .whenComplete((result, failure) -> inFlight.finished(document))
                .exceptionally(failure -> {
                    // a failure before the worker named a stage (none found, refused) is one before parsing ended
                    commandGateway.send(new FailDocumentProcessingCommand(document, forVersion,
                            StepFailures.stage(failure, "parse"), StepFailures.describe(failure)));
                    return null;
                });
    }

    private TenantId tenant() {
        return TenantId.of(tenantId);
    }

    private DocumentId document() {
        return DocumentId.of(documentId);
    }
}
