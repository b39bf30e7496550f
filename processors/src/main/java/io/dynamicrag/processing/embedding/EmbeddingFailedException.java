package io.dynamicrag.processing.embedding;

import java.util.OptionalInt;

/**
 * Embedding failed for a reason worth telling the user; the message is written for them (it becomes the document's
 * error message) and never contains an API key.
 *
 * <p>{@link #isTransient()} tells a caller whether trying again later may help: true when the retries ran out on a
 * rate limit, a server error or a network failure; false for a rejected key, a refused input, an unknown model and
 * the like, where the same request will fail the same way.
 */
public class EmbeddingFailedException extends RuntimeException {

    private final Integer httpStatus;
    private final boolean transientFailure;

    public EmbeddingFailedException(String message, Integer httpStatus, boolean transientFailure) {
        this(message, httpStatus, transientFailure, null);
    }

    public EmbeddingFailedException(String message, Integer httpStatus, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.transientFailure = transientFailure;
    }

    /** The HTTP status the server answered with, if it answered. */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
