package io.dynamicrag.query.search;

/**
 * A search this node did not run or did not finish because it is overloaded ({@link SearchAdmission}): nothing is
 * wrong with the request, and the same search sent again after {@link #retryAfterSeconds()} may well succeed.
 */
public class SearchOverloadedException extends RuntimeException {

    private final long retryAfterSeconds;

    public SearchOverloadedException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
