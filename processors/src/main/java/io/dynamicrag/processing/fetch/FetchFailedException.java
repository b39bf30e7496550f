package io.dynamicrag.processing.fetch;

import java.util.OptionalInt;

/**
 * An allowed fetch did not produce a usable body: network error, timeout, size limit, too many redirects or a
 * non-2xx status. The message is written for API clients (no stack traces, no class names); {@link #httpStatus()}
 * carries the remote status when the server answered with one.
 */
public class FetchFailedException extends RuntimeException {

    private final Integer httpStatus;

    public FetchFailedException(String message) {
        this(message, null);
    }

    public FetchFailedException(String message, Integer httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The status the remote server answered with, when the failure is one (e.g. 404). */
    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }
}
