package io.dynamicrag.processing.pipeline;

/**
 * A step of {@link ProcessDocumentCommand} failed: names the stage (parse, chunk, embed) the document is reported
 * failed at, around the failure that {@link StepFailures} turns into the user's message.
 */
public class StageFailedException extends RuntimeException {

    private final String stage;

    public StageFailedException(String stage, Throwable cause) {
        super(stage + " failed", cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
