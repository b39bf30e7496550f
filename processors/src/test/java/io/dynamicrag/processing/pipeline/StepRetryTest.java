package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.junit.jupiter.api.Test;

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
}
