package io.dynamicrag.command.ingestion;

import org.springframework.http.HttpStatus;

/** A submission that breaks a tenant limit or cannot be read; carries the HTTP status it is answered with. */
public class IngestionRefusedException extends RuntimeException {

    private final HttpStatus status;

    public IngestionRefusedException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    static IngestionRefusedException tooLarge(long size, long max) {
        return new IngestionRefusedException(HttpStatus.PAYLOAD_TOO_LARGE, "The document is " + size
                + " bytes; this account accepts at most " + max + " bytes (max_file_size_mb)");
    }

    static IngestionRefusedException typeNotAllowed(String type, java.util.List<String> allowed) {
        return new IngestionRefusedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Document type '" + type
                + "' is not allowed for this account (allowed_document_types: " + String.join(", ", allowed) + ")");
    }

    static IngestionRefusedException unreadableType(String what) {
        return new IngestionRefusedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, what
                + " is not a supported document type (pdf, docx, html, md, txt)");
    }

    static IngestionRefusedException empty() {
        return new IngestionRefusedException(HttpStatus.BAD_REQUEST, "The document is empty (0 bytes)");
    }
}
