package io.dynamicrag.processing.index;

/**
 * The chunk index could not serve a request: the native Lance library failed, the dataset is unreadable, or the index
 * has been closed. Every {@link Throwable} from Lance/Arrow (including {@link Error}s such as a failed JNI load or a
 * missing {@code --add-opens}) is wrapped in this unchecked exception so callers never see an {@code Error}.
 */
public class IndexUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IndexUnavailableException(String message) {
        super(message);
    }

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
