package io.dynamicrag.kernel.storage;

import java.io.IOException;

/**
 * The file system under the data directory has no space left (ENOSPC): nothing was stored. Temporary like every
 * {@link StorageUnavailableException}, but it lasts until an operator frees space, so the API answers 507.
 */
public class StorageFullException extends StorageUnavailableException {

    public StorageFullException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * Whether the failure, or one of its causes, is the operating system's "no space left on device": Java has no
     * exception type for it (a plain IOException from a write, a FileSystemException naming a file), and native
     * libraries such as Lance report it in their message as "os error 28".
     */
    public static boolean isNoSpace(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof StorageFullException) {
                return true;
            }
            String message = cause.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("os error 28")
                    || message.contains("ENOSPC"))) {
                return true;
            }
        }
        return false;
    }
}
