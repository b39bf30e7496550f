package io.dynamicrag.processing.pipeline;

/** A step failed for a reason the user can act on; the message becomes the document's error_message. */
public class PipelineStepException extends RuntimeException {

    public PipelineStepException(String message) {
        super(message);
    }

    public PipelineStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
