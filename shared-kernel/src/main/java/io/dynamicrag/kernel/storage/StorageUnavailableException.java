package io.dynamicrag.kernel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The blob storage cannot be read or written right now (an S3-compatible server that does not answer or answers
 * 5xx, a full data directory): a temporary condition of the service, not a fault of the request or the document.
 * Callers answer 503 with Retry-After, and pipeline steps wait for the storage instead of failing the document.
 */
public class StorageUnavailableException extends UncheckedIOException {

    public StorageUnavailableException(String message, IOException cause) {
        super(message, cause);
    }

    /** The first storage failure in the cause chain of {@code failure}, else null. */
    public static StorageUnavailableException in(Throwable failure) {
        // bounded: a cause chain may loop
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof StorageUnavailableException storage) {
                return storage;
            }
        }
        return null;
    }
}
