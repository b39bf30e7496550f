package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentChunkedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentEmbeddedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentIndexedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentParsedCommand;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant's document and the processing state of its current version. Pipeline steps report back here; a report
 * for another version or a stage already passed is a redelivery and changes nothing, which makes every step
 * idempotent from the aggregate's point of view.
 */
@Aggregate
class Document {

    @AggregateIdentifier
    private DocumentId documentId;
    private TenantId tenantId;
    private int version;
    private ProcessingStage stage;
    private String chunksBlobKey;

    Document() {
        // for event sourcing
    }

    @CommandHandler
    Document(SubmitDocumentCommand command) {
        requireText(command.title(), "title");
        requireText(command.rawBlobKey(), "raw blob key");
        if (command.sizeBytes() <= 0) {
            throw new InvalidDocumentException("content is empty");
        }
        apply(new DocumentSubmittedEvent(command.documentId(), command.tenantId(), 1, command.title(),
                command.docType(), command.sourceUrl(), command.externalId(), command.metadata(),
                command.rawBlobKey(), command.contentHash(), command.sizeBytes(), Instant.now()));
    }

    @CommandHandler
    void handle(RecordDocumentParsedCommand command) {
        if (isAt(command.version(), ProcessingStage.SUBMITTED)) {
            apply(new DocumentParsedEvent(documentId, tenantId, version, command.parsedBlobKey(),
                    command.characterCount(), command.pageCount()));
        }
    }

    @CommandHandler
    void handle(RecordDocumentChunkedCommand command) {
        if (isAt(command.version(), ProcessingStage.PARSED)) {
            apply(new DocumentChunkedEvent(documentId, tenantId, version, command.chunksBlobKey(),
                    command.chunkCount(), command.chunkSize(), command.chunkOverlap()));
        }
    }

    @CommandHandler
    void handle(RecordDocumentEmbeddedCommand command) {
        if (isAt(command.version(), ProcessingStage.CHUNKED)) {
            apply(new DocumentEmbeddedEvent(documentId, tenantId, version, chunksBlobKey,
                    command.embeddingsBlobKey(), command.embeddingModel(), command.dimensions()));
        }
    }

    @CommandHandler
    void handle(RecordDocumentIndexedCommand command) {
        if (isAt(command.version(), ProcessingStage.EMBEDDED)) {
            apply(new DocumentIndexedEvent(documentId, tenantId, version, command.chunkCount(), Instant.now()));
        }
    }

    @CommandHandler
    void handle(FailDocumentProcessingCommand command) {
        if (command.version() == version && !stage.isFinal()) {
            apply(new DocumentProcessingFailedEvent(documentId, tenantId, version, command.stage(),
                    command.reason(), Instant.now()));
        }
    }

    private boolean isAt(int reportedVersion, ProcessingStage expected) {
        return reportedVersion == version && stage == expected;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidDocumentException(name + " is required");
        }
    }

    @EventSourcingHandler
    void on(DocumentSubmittedEvent event) {
        documentId = event.documentId();
        tenantId = event.tenantId();
        version = event.version();
        stage = ProcessingStage.SUBMITTED;
    }

    @EventSourcingHandler
    void on(DocumentParsedEvent event) {
        stage = ProcessingStage.PARSED;
    }

    @EventSourcingHandler
    void on(DocumentChunkedEvent event) {
        stage = ProcessingStage.CHUNKED;
        chunksBlobKey = event.chunksBlobKey();
    }

    @EventSourcingHandler
    void on(DocumentEmbeddedEvent event) {
        stage = ProcessingStage.EMBEDDED;
    }

    @EventSourcingHandler
    void on(DocumentIndexedEvent event) {
        stage = ProcessingStage.INDEXED;
    }

    @EventSourcingHandler
    void on(DocumentProcessingFailedEvent event) {
        stage = ProcessingStage.FAILED;
    }
}
