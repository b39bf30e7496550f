package io.dynamicrag.command.ingestion;

/** No such document for this tenant (or it was deleted); answered with 404. */
public class DocumentNotFoundException extends RuntimeException {

    public DocumentNotFoundException(String documentId) {
        super("Document " + documentId + " not found");
    }
}
