package io.dynamicrag.processing.pipeline;

/** A step failure another attempt cannot fix (its input is missing or malformed); not retried. */
public class PermanentStepException extends PipelineStepException {

    public PermanentStepException(String message) {
        super(message);
    }

    public PermanentStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
