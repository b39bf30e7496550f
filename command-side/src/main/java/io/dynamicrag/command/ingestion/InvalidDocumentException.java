package io.dynamicrag.command.ingestion;

/** A document the service refuses to accept; becomes a 400 with this message. */
public class InvalidDocumentException extends RuntimeException {

    public InvalidDocumentException(String message) {
        super(message);
    }
}
