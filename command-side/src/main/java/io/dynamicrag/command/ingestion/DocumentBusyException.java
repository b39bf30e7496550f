package io.dynamicrag.command.ingestion;

/** The latest version is still being processed; answered with 409. */
public class DocumentBusyException extends RuntimeException {

    public DocumentBusyException(String message) {
        super(message);
    }
}
