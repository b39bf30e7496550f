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
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
}
