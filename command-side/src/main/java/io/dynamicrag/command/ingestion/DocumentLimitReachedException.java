package io.dynamicrag.command.ingestion;

/** The tenant's max_documents is reached; answered with 409. */
public class DocumentLimitReachedException extends RuntimeException {

    public DocumentLimitReachedException(int maxDocuments) {
        super("Document limit reached: this account may hold at most " + maxDocuments
                + " documents (max_documents); delete some or raise the limit");
    }
}
