package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.DeleteDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentChunkedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentEmbeddedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentIndexedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentParsedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentProcessedCommand;
import io.dynamicrag.kernel.ingestion.api.command.ReprocessDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.ResumeProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.StepDurations;
import io.dynamicrag.kernel.ingestion.api.command.SubmissionOutcome;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentVersionCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant's document, its versions and the processing state of the latest one. Pipeline steps report back here;
 * a report for another version or a stage already passed is a redelivery and changes nothing, which makes every
 * step idempotent from the aggregate's point of view. A deleted document answers every command with "not found".
 */
@Aggregate
class Document {

    @AggregateIdentifier
    private DocumentId documentId;
    private TenantId tenantId;
    private int version;
    private String contentHash;
    private String title;
    private String docType;
    private String sourceUrl;
    private String rawBlobKey;
    private ProcessingStage stage;
    private String chunksBlobKey;
    /** When the current run last moved on: a resume needs this much quiet first. */
    private Instant lastProgressAt;

    Document() {
        // for event sourcing
    }

    /** A new document; the registry enforces the tenant's document limit and the identity's uniqueness. */
    @CommandHandler
    Document(SubmitDocumentCommand command, DocumentRegistry registry, TenantDocumentLimits limits) {
        requireContent(command.title(), command.rawBlobKey(), command.sizeBytes());
        registry.register(command.tenantId(), command.documentId(),
                DocumentIdentity.key(command.externalId(), command.sourceUrl()),
                limits.maxDocuments(command.tenantId()));
        apply(new DocumentSubmittedEvent(command.documentId(), command.tenantId(), 1, command.title(),
                command.docType(), command.sourceUrl(), command.externalId(), command.metadata(),
                command.rawBlobKey(), command.contentHash(), command.sizeBytes(), Instant.now()));
    }

    /** A null title or type keeps the current one. */
    @CommandHandler
    SubmissionOutcome handle(SubmitDocumentVersionCommand command) {
        requireOwner(command.tenantId());
        String newTitle = command.title() == null ? title : command.title();
        requireContent(newTitle, command.rawBlobKey(), command.sizeBytes());
        if (command.contentHash().equals(contentHash)) {
            return new SubmissionOutcome(version, true);
        }
        apply(new DocumentSubmittedEvent(documentId, tenantId, version + 1, newTitle,
                command.docType() == null ? docType : command.docType(), command.sourceUrl(), command.externalId(),
                command.metadata(), command.rawBlobKey(), command.contentHash(), command.sizeBytes(), Instant.now()));
        return new SubmissionOutcome(version, false);
    }

    @CommandHandler
    SubmissionOutcome handle(ReprocessDocumentCommand command) {
        requireOwner(command.tenantId());
        if (!stage.isFinal()) {
            throw new DocumentBusyException("Version " + version + " is still being processed; try again when it "
                    + "has completed or failed");
        }
        apply(new DocumentReprocessingStartedEvent(documentId, tenantId, version, title, docType, rawBlobKey,
                Instant.now()));
        return new SubmissionOutcome(version, false);
    }

    @CommandHandler
    void handle(ResumeProcessingCommand command) {
        boolean quietLongEnough = lastProgressAt == null
                || !lastProgressAt.plus(command.quietFor()).isAfter(GenericEventMessage.clock.instant());
        if (!stage.isFinal() && quietLongEnough) {
            apply(new DocumentReprocessingStartedEvent(documentId, tenantId, version, title, docType, rawBlobKey,
                    Instant.now()));
        }
    }

    @CommandHandler
    void handle(DeleteDocumentCommand command, DocumentRegistry registry) {
        requireOwner(command.tenantId());
        registry.unregister(documentId);
        apply(new DocumentDeletedEvent(documentId, tenantId, version, Instant.now()));
    }

    @CommandHandler
    void handle(RecordDocumentParsedCommand command) {
        recordParsed(command, MetaData.emptyInstance());
    }

    @CommandHandler
    void handle(RecordDocumentChunkedCommand command) {
        recordChunked(command, MetaData.emptyInstance());
    }

    @CommandHandler
    void handle(RecordDocumentEmbeddedCommand command) {
        recordEmbedded(command, MetaData.emptyInstance());
    }

    /**
     * Each part is recorded as on its own; applying moves the stage on, so the next part finds it there. Each event
     * carries its step's duration (from the command's metadata), the one figure their shared timestamp loses.
     */
    @CommandHandler
    void handle(RecordDocumentProcessedCommand command, MetaData metaData) {
        recordParsed(command.parsed(), StepDurations.forEvent(metaData, "parse"));
        recordChunked(command.chunked(), StepDurations.forEvent(metaData, "chunk"));
        recordEmbedded(command.embedded(), StepDurations.forEvent(metaData, "embed"));
    }

    private void recordParsed(RecordDocumentParsedCommand command, MetaData metaData) {
        if (isAt(command.version(), ProcessingStage.SUBMITTED)) {
            apply(new DocumentParsedEvent(documentId, tenantId, version, command.parsedBlobKey(),
                    command.characterCount(), command.pageCount()), metaData);
        }
    }

    private void recordChunked(RecordDocumentChunkedCommand command, MetaData metaData) {
        if (isAt(command.version(), ProcessingStage.PARSED)) {
            apply(new DocumentChunkedEvent(documentId, tenantId, version, command.chunksBlobKey(),
                    command.chunkCount(), command.chunkSize(), command.chunkOverlap()), metaData);
        }
    }

    private void recordEmbedded(RecordDocumentEmbeddedCommand command, MetaData metaData) {
        if (isAt(command.version(), ProcessingStage.CHUNKED)) {
            apply(new DocumentEmbeddedEvent(documentId, tenantId, version, chunksBlobKey,
                    command.embeddingsBlobKey(), command.embeddingModel(), command.dimensions(), command.tokens(),
                    command.costUsd(), title, docType, sourceUrl), metaData);
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

    /** Another tenant's document is indistinguishable from a missing one. */
    private void requireOwner(TenantId caller) {
        if (!tenantId.equals(caller)) {
            throw new DocumentNotFoundException(documentId.toString());
        }
    }

    private static void requireContent(String title, String rawBlobKey, long sizeBytes) {
        if (title == null || title.isBlank()) {
            throw new InvalidDocumentException("title is required");
        }
        if (rawBlobKey == null || rawBlobKey.isBlank()) {
            throw new InvalidDocumentException("raw blob key is required");
        }
        if (sizeBytes <= 0) {
            throw new InvalidDocumentException("content is empty");
        }
    }

    @EventSourcingHandler
    void on(DocumentSubmittedEvent event, @Timestamp Instant at) {
        lastProgressAt = at;
        documentId = event.documentId();
        tenantId = event.tenantId();
        version = event.version();
        contentHash = event.contentHash();
        title = event.title();
        docType = event.docType();
        if (event.sourceUrl() != null) {
            sourceUrl = event.sourceUrl(); // a new version without one keeps the document's (as the read model does)
        }
        rawBlobKey = event.rawBlobKey();
        stage = ProcessingStage.SUBMITTED;
    }

    @EventSourcingHandler
    void on(DocumentReprocessingStartedEvent event, @Timestamp Instant at) {
        lastProgressAt = at;
        stage = ProcessingStage.SUBMITTED;
    }

    @EventSourcingHandler
    void on(DocumentParsedEvent event, @Timestamp Instant at) {
        lastProgressAt = at;
        stage = ProcessingStage.PARSED;
    }

    @EventSourcingHandler
    void on(DocumentChunkedEvent event, @Timestamp Instant at) {
        lastProgressAt = at;
        stage = ProcessingStage.CHUNKED;
        chunksBlobKey = event.chunksBlobKey();
    }

    @EventSourcingHandler
    void on(DocumentEmbeddedEvent event, @Timestamp Instant at) {
        lastProgressAt = at;
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

    @EventSourcingHandler
    void on(DocumentDeletedEvent event) {
        AggregateLifecycle.markDeleted();
    }
}
