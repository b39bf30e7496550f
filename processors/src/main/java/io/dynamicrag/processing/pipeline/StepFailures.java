package io.dynamicrag.processing.pipeline;

import org.axonframework.messaging.timeout.AxonTimeoutException;

import io.dynamicrag.processing.embedding.EmbeddingFailedException;
import io.dynamicrag.processing.parsing.DocumentUnreadableException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a step's failure into a message for the user: specific for known causes, generic (no internals) otherwise. */
final class StepFailures {

    private static final int MAX_LENGTH = 1000;

    private StepFailures() {
    }

    /** The stage a failure of {@link ProcessDocumentCommand} names, or {@code otherwise}. */
    static String stage(Throwable failure, String otherwise) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StageFailedException stageFailure) {
                return stageFailure.stage();
            }
        }
        return otherwise;
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof StageFailedException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message;
        if (cause instanceof PipelineStepException || cause instanceof DocumentUnreadableException
                || cause instanceof EmbeddingFailedException) {
            message = cause.getMessage();
        } else if (cause instanceof AxonTimeoutException) {
            message = "took longer than its time limit and was stopped";
        } else {
            message = "internal error (" + cause.getClass().getSimpleName() + ")";
        }
        return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) : message;
    }
}
