package io.dynamicrag.processing.parsing;

/** The content cannot be turned into text; the message is shown to the user as the document's error. */
public class DocumentUnreadableException extends RuntimeException {

    public DocumentUnreadableException(String message) {
        super(message);
    }
}
