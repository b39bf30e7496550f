package io.dynamicrag.processing.pipeline;

import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class StepFailuresTest {

    @Test
    void aStepStoppedByItsTimeLimitSaysSo() {
        assertThat(StepFailures.describe(new CompletionException(new AxonTimeoutException("handler timed out"))))
                .isEqualTo("took longer than its time limit and was stopped");
    }

    @Test
    void aKnownCauseKeepsItsMessageAndAnUnknownOneShowsNoInternals() {
        assertThat(StepFailures.describe(new CompletionException(new PermanentStepException("no text"))))
                .isEqualTo("no text");
        assertThat(StepFailures.describe(new IllegalStateException("secret detail")))
                .isEqualTo("internal error (IllegalStateException)");
    }
}
