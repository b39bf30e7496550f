package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.parsing.DocumentUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a pipeline step the way the seed's queue did: 3 attempts, exponential backoff from 2 s. Failures that
 * another attempt cannot fix (an unreadable document, a missing input) fail at once; after the last attempt the
 * step fails and the document is marked failed with the step's message.
 */
@Component
class StepRetry {

    private static final Logger log = LoggerFactory.getLogger(StepRetry.class);

    private final RetryTemplate template;
    private final int maxAttempts;

    StepRetry(@Value("${rag.pipeline.retry.max-attempts:3}") int maxAttempts,
              @Value("${rag.pipeline.retry.initial-backoff:PT2S}") Duration initialBackoff,
              @Value("${rag.pipeline.retry.max-backoff:PT30S}") Duration maxBackoff) {
        this.maxAttempts = maxAttempts;
        this.template = RetryTemplate.builder()
                .maxAttempts(maxAttempts)
                .exponentialBackoff(initialBackoff.toMillis(), 2.0, maxBackoff.toMillis())
                .notRetryOn(java.util.List.of(DocumentUnreadableException.class, PermanentStepException.class))
                .withListener(new RetryListener() {
                    @Override
                    public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
                                                                 Throwable failure) {
                        log.warn("Pipeline step failed (attempt {} of {}): {}", context.getRetryCount(),
                                StepRetry.this.maxAttempts, failure.toString());
                    }
                })
                .build();
    }

    <T> T run(String step, Supplier<T> work) {
        try {
            return template.execute(context -> work.get());
        } catch (DocumentUnreadableException | PermanentStepException e) {
            throw e;
        } catch (RuntimeException e) {
            String reason = e instanceof PipelineStepException ? e.getMessage() : step + " failed";
            throw new PipelineStepException(reason + " (after " + maxAttempts + " attempts)", e);
        }
    }

    void run(String step, Runnable work) {
        run(step, () -> {
            work.run();
            return null;
        });
    }
}
