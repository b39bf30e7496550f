package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

class DocumentProcessingSagaTest {

    private static final DocumentId DOC = DocumentId.random();
    private static final TenantId TENANT = TenantId.random();
    private static final String ID = DOC.toString();

    private SagaTestFixture<DocumentProcessingSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static SagaTestFixture<DocumentProcessingSaga> newFixture() {
        SagaTestFixture<DocumentProcessingSaga> fresh = new SagaTestFixture<>(DocumentProcessingSaga.class);
        fresh.registerResource(DefaultCommandGateway.builder().commandBus(fresh.getCommandBus()).build());
        fresh.registerResource(new InFlightPipelineSteps());
        return fresh;
    }

    private static DocumentSubmittedEvent submitted(int version) {
        return new DocumentSubmittedEvent(DOC, TENANT, version, "Title", "txt", null, null, Map.of(),
                "raw-key", "hash", 10, Instant.now());
    }

    @Test
    void shouldStartWithParseOnSubmission() {
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(submitted(1))
                .expectActiveSagas(1)
                .expectAssociationWith("documentId", ID)
                .expectDispatchedCommands(new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "txt"));
    }

    @Test
    void shouldLeaveTheStepsResultsToTheWorkerAndIndexingToTheTenantIndexWriter() {
        // parse, chunk and embed are one command: their events move nothing on
        fixture.givenAggregate(ID).published(submitted(1))
                .whenAggregate(ID).publishes(new DocumentParsedEvent(DOC, TENANT, 1, "parsed-key", 100, null))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();

        newFixture().givenAggregate(ID).published(submitted(1),
                        new DocumentParsedEvent(DOC, TENANT, 1, "parsed-key", 100, null),
                        new DocumentChunkedEvent(DOC, TENANT, 1, "chunks-key", 2, 1000, 200))
                .whenAggregate(ID).publishes(new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks-key", "vectors-key",
                        "all-minilm-l6-v2", 384, 120, java.math.BigDecimal.ZERO, "Title", "txt", null))
                // the index write is the tenant-index processor's (one writer per tenant); the saga waits for it
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();
    }

    @Test
    void shouldEndWhenIndexed() {
        fixture.givenAggregate(ID).published(submitted(1))
                .whenAggregate(ID).publishes(new DocumentIndexedEvent(DOC, TENANT, 1, 2, Instant.now()))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void shouldReportAFailingStepAsAFailedDocument() {
        fixture.setCallbackBehavior((payload, metaData) -> {
            if (payload instanceof ProcessDocumentCommand) {
                throw new StageFailedException("parse",
                        new DocumentUnreadableException("the document could not be read: bad header"));
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(submitted(1))
                .expectDispatchedCommands(
                        new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "txt"),
                        new FailDocumentProcessingCommand(DOC, 1, "parse",
                                "the document could not be read: bad header"));
    }

    @Test
    void shouldReportTheStepTheWorkerNamesAsTheFailedStage() {
        fixture.setCallbackBehavior((payload, metaData) -> {
            if (payload instanceof ProcessDocumentCommand) {
                throw new StageFailedException("embed", new PipelineStepException("the embedding service refused"));
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(submitted(1))
                .expectDispatchedCommands(
                        new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "txt"),
                        new FailDocumentProcessingCommand(DOC, 1, "embed", "the embedding service refused"));
    }

    @Test
    void shouldHideInternalsOfAnUnexpectedFailure() {
        fixture.setCallbackBehavior((payload, metaData) -> {
            if (payload instanceof ProcessDocumentCommand) {
                throw new IllegalStateException("jdbc:postgresql://secret-host");
            }
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(ID).publishes(submitted(1))
                .expectDispatchedCommands(
                        new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "txt"),
                        new FailDocumentProcessingCommand(DOC, 1, "parse", "internal error (IllegalStateException)"));
    }

    @Test
    void shouldEndWhenProcessingFailed() {
        fixture.givenAggregate(ID).published(submitted(1))
                .whenAggregate(ID).publishes(new DocumentProcessingFailedEvent(DOC, TENANT, 1, "parse", "bad",
                        Instant.now()))
                .expectActiveSagas(0);
    }

    @Test
    void shouldRunAgainFromParseWhenReprocessing() {
        fixture.givenAggregate(ID).published(submitted(1),
                        new DocumentProcessingFailedEvent(DOC, TENANT, 1, "parse", "bad", Instant.now()))
                .whenAggregate(ID).publishes(new DocumentReprocessingStartedEvent(DOC, TENANT, 1, "Title", "txt",
                        "raw-key", Instant.now()))
                .expectActiveSagas(1)
                .expectDispatchedCommands(new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "txt"));
    }

    @Test
    void shouldStopTheOlderVersionsSagaWhenANewVersionArrives() {
        fixture.givenAggregate(ID).published(submitted(1))
                .whenAggregate(ID).publishes(submitted(2))
                .expectActiveSagas(1)
                .expectDispatchedCommands(new ProcessDocumentCommand(TENANT, DOC, 2, "raw-key", "txt"));
    }

    @Test
    void shouldEndWhenTheDocumentIsDeleted() {
        fixture.givenAggregate(ID).published(submitted(1))
                .whenAggregate(ID).publishes(new DocumentDeletedEvent(DOC, TENANT, 1, Instant.now()))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }
}
