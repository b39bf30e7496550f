package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.storage.StorageFullException;
import io.dynamicrag.kernel.storage.StorageUnavailableException;
import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepRetryTest {

    private final StepRetry retry = new StepRetry(3, Duration.ofMillis(10), Duration.ofMillis(40));

    @Test
    void shouldSucceedWhenALaterAttemptWorks() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.run("embed", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection reset");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void shouldGiveUpAfterThreeAttemptsWithAReadableMessage() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run("index", () -> {
            attempts.incrementAndGet();
            throw new PipelineStepException("the search index could not be written");
        }))
                .isInstanceOf(PipelineStepException.class)
                .hasMessage("the search index could not be written (after 3 attempts)");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void shouldHideTheInternalsOfAnUnexpectedFailure() {
        assertThatThrownBy(() -> retry.run("chunk", () -> {
            throw new IllegalStateException("jdbc:postgresql://secret");
        }))
                .isInstanceOf(PipelineStepException.class)
                .hasMessage("chunk failed (after 3 attempts)");
    }

    @Test
    void shouldNotRetryWhatAnotherAttemptCannotFix() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run("parse", () -> {
            attempts.incrementAndGet();
            throw new DocumentUnreadableException("the document is encrypted");
        })).isInstanceOf(DocumentUnreadableException.class);
        assertThatThrownBy(() -> retry.run("parse", () -> {
            attempts.incrementAndGet();
            throw new PermanentStepException("stored file is missing");
        })).isInstanceOf(PermanentStepException.class);
        assertThat(attempts).hasValue(2);
    }

    /**
     * Issue 15, fuzz drill (seed 2): a step out of heap was tried 3 times per document, and the Error then escaped
     * the step, so its document was never marked failed and was processed again after the stall time-out.
     */
    @Test
    void shouldFailAStepThatRanOutOfMemoryOrStackAtOnceWithAReadableReason() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.run("parse", () -> {
            attempts.incrementAndGet();
            throw new OutOfMemoryError("Java heap space");
        }))
                .isInstanceOf(PipelineStepException.class)
                .hasMessage("parse failed: the document needs more memory than this node can give one document; "
                        + "it is too large or too complex to process");
        assertThatThrownBy(() -> retry.run("chunk", () -> {
            attempts.incrementAndGet();
            throw new StackOverflowError();
        }))
                .isInstanceOf(PipelineStepException.class)
                .hasMessage("chunk failed: the document is nested too deeply to process");
        assertThat(attempts).hasValue(2);
    }

    /** Issue 15, S3 drill: every document caught in a 60 s outage failed after three attempts within 6 s. */
    @Test
    void shouldWaitForUnavailableStorageBeyondTheOrdinaryAttempts() {
        StepRetry patient = new StepRetry(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10),
                Duration.ofMillis(5));
        AtomicInteger attempts = new AtomicInteger();
        String result = patient.run("parse", () -> {
            if (attempts.incrementAndGet() < 8) {
                throw unreachable();
            }
            return "parsed";
        });
        assertThat(result).isEqualTo("parsed");
        assertThat(attempts).hasValue(8);
    }

    @Test
    void shouldNotLetStorageFailuresUseUpTheOrdinaryAttempts() {
        StepRetry patient = new StepRetry(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10),
                Duration.ofMillis(5));
        AtomicInteger attempts = new AtomicInteger();
        String result = patient.run("embed", () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt <= 5) {
                throw unreachable();
            }
            if (attempt <= 7) {
                throw new IllegalStateException("connection reset");
            }
            return "embedded";
        });
        assertThat(result).isEqualTo("embedded");
        assertThat(attempts).hasValue(8);
    }

    @Test
    void shouldFailWithAReadableReasonWhenTheStorageStaysAway() {
        StepRetry patient = new StepRetry(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(200),
                Duration.ofMillis(20));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> patient.run("parse", () -> {
            attempts.incrementAndGet();
            throw unreachable();
        }))
                .isInstanceOf(PipelineStepException.class)
                .hasMessage("parse could not reach the document storage for 200 ms; reprocess the document once the "
                        + "storage is back")
                .message().doesNotContain("127.0.0.1");
        assertThat(attempts.get()).isGreaterThan(3);
        assertThatThrownBy(() -> patient.run("index", () -> {
            throw new IllegalStateException("Lance commit failed: No space left on device (os error 28)");
        })).hasMessageContaining("index found no space left in the storage");
    }

    /** The index step runs in an event handler whose unit of work may not wait minutes: its processor retries. */
    @Test
    void shouldHandAStorageFailureOnToTheEventProcessorInsteadOfFailingTheDocument() {
        StepRetry patient = new StepRetry(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(100),
                Duration.ofMillis(20));
        assertThatThrownBy(() -> patient.runPropagatingStorageFailure("index", () -> {
            throw new PipelineStepException("the search index could not be written",
                    new IllegalStateException("LanceError(IO): No space left on device (os error 28)"));
        })).isInstanceOf(StorageFullException.class);
        StorageUnavailableException unreachable = unreachable();
        assertThatThrownBy(() -> patient.runPropagatingStorageFailure("index", () -> {
            throw unreachable;
        })).isSameAs(unreachable);
        assertThatThrownBy(() -> patient.runPropagatingStorageFailure("index", () -> {
            throw new PipelineStepException("the search index could not be written");
        })).isInstanceOf(PipelineStepException.class);
    }

    private static StorageUnavailableException unreachable() {
        return new StorageUnavailableException("Could not open blob k in S3 bucket b: Connect to 127.0.0.1:9 failed",
                new IOException("Connection refused"));
    }
}
