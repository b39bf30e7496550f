package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentPipelineTest {

    private static final DocumentId DOC = DocumentId.random();
    private static final TenantId TENANT = TenantId.random();

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final List<Object> failures = new CopyOnWriteArrayList<>();
    private final InFlightPipelineSteps inFlight = new InFlightPipelineSteps();
    private final DocumentPipeline pipeline =
            new DocumentPipeline(DefaultCommandGateway.builder().commandBus(bus).build(), inFlight);

    /** The worker's answer to a ProcessDocumentCommand; failure reports are collected. */
    private void worker(Function<ProcessDocumentCommand, Object> step) {
        bus.subscribe(ProcessDocumentCommand.class.getName(),
                (CommandMessage<?> message) -> step.apply((ProcessDocumentCommand) message.getPayload()));
        bus.subscribe(FailDocumentProcessingCommand.class.getName(), message -> {
            failures.add(message.getPayload());
            return null;
        });
    }

    private static DocumentSubmittedEvent submitted(int version) {
        return new DocumentSubmittedEvent(DOC, TENANT, version, "Title", "txt", null, null, Map.of(),
                "raw-key", "hash", 10, Instant.now());
    }

    @Test
    void aSubmittedVersionIsProcessedByOneCommand() {
        List<ProcessDocumentCommand> sent = new CopyOnWriteArrayList<>();
        worker(command -> {
            sent.add(command);
            return null;
        });
        pipeline.on(submitted(2));
        assertThat(sent).containsExactly(new ProcessDocumentCommand(TENANT, DOC, 2, "raw-key", "txt"));
        assertThat(failures).isEmpty();
        assertThat(inFlight.holds(DOC.value())).isFalse();
    }

    @Test
    void reprocessingRunsTheWholePipelineAgain() {
        List<ProcessDocumentCommand> sent = new CopyOnWriteArrayList<>();
        worker(command -> {
            sent.add(command);
            return null;
        });
        pipeline.on(new DocumentReprocessingStartedEvent(DOC, TENANT, 1, "Title", "pdf", "raw-key", Instant.now()));
        assertThat(sent).containsExactly(new ProcessDocumentCommand(TENANT, DOC, 1, "raw-key", "pdf"));
    }

    @Test
    void theDocumentIsHeldInFlightWhileItsStepRuns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        worker(command -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        Thread handler = new Thread(() -> pipeline.on(submitted(1)));
        handler.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(inFlight.holds(DOC.value())).isTrue();
        release.countDown();
        handler.join(10_000);
        assertThat(inFlight.holds(DOC.value())).isFalse();
    }

    @Test
    void aFailingStepIsReportedAtTheStepTheWorkerNames() {
        worker(command -> {
            throw new StageFailedException("embed", new PipelineStepException("the embedding service refused"));
        });
        pipeline.on(submitted(1));
        assertThat(failures).containsExactly(
                new FailDocumentProcessingCommand(DOC, 1, "embed", "the embedding service refused"));
    }

    @Test
    void anUnreadableDocumentFailsAtParseWithItsReason() {
        worker(command -> {
            throw new StageFailedException("parse",
                    new DocumentUnreadableException("the document could not be read: bad header"));
        });
        pipeline.on(submitted(1));
        assertThat(failures).containsExactly(new FailDocumentProcessingCommand(DOC, 1, "parse",
                "the document could not be read: bad header"));
    }

    @Test
    void anUnexpectedFailureHidesItsInternals() {
        worker(command -> {
            throw new IllegalStateException("jdbc:postgresql://secret-host");
        });
        pipeline.on(submitted(1));
        assertThat(failures).containsExactly(
                new FailDocumentProcessingCommand(DOC, 1, "parse", "internal error (IllegalStateException)"));
    }

    /**
     * PostgreSQL restart drill: a run that lost its database connection (the worker's transaction, the aggregate's
     * load, the recording of its results) was reported failed, or, as that report failed too, left "processing"
     * until stall recovery; it is sent again until the database answers.
     */
    @Test
    void aRunThatMetTheDatabaseAwayIsSentAgainInsteadOfFailingTheDocument() {
        AtomicInteger runs = new AtomicInteger();
        worker(command -> {
            if (runs.incrementAndGet() <= 2) {
                throw new StageFailedException("embed", new IllegalStateException("Failed to record",
                        new SQLException("terminating connection due to administrator command", "57P01")));
            }
            return null;
        });
        DocumentPipeline patient = new DocumentPipeline(DefaultCommandGateway.builder().commandBus(bus).build(),
                inFlight, Duration.ofSeconds(30), Duration.ofMillis(10));

        patient.on(submitted(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !inFlight.holds(DOC.value()));
        assertThat(runs.get()).as("runs: two refused by the database, then one through").isEqualTo(3);
        assertThat(failures).isEmpty();
    }

    @Test
    void aDatabaseAwayLongerThanTheWaitFailsTheDocument() {
        AtomicInteger runs = new AtomicInteger();
        worker(command -> {
            runs.incrementAndGet();
            throw new StageFailedException("embed", new SQLTransientConnectionException(
                    "jdbc - Connection is not available, request timed out after 3000ms", "08001"));
        });
        DocumentPipeline patient = new DocumentPipeline(DefaultCommandGateway.builder().commandBus(bus).build(),
                inFlight, Duration.ofMillis(200), Duration.ofMillis(10));

        patient.on(submitted(1));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !failures.isEmpty());
        assertThat(runs.get()).isGreaterThan(1);
        assertThat(inFlight.holds(DOC.value())).isFalse();
        assertThat(failures).hasSize(1);
    }
}
