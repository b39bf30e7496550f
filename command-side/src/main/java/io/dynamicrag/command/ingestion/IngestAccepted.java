package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;

/** The 202 answer of every ingestion path. {@code status} is "processing", or "duplicate" when nothing changed. */
record IngestAccepted(String documentId, int version, String status, String statusUrl) {

    static IngestAccepted processing(DocumentId id, int version) {
        return new IngestAccepted(id.toString(), version, "processing", statusUrl(id));
    }

    static IngestAccepted duplicate(DocumentId id, int version) {
        return new IngestAccepted(id.toString(), version, "duplicate", statusUrl(id));
    }

    private static String statusUrl(DocumentId id) {
        return "/api/documents/" + id + "/status";
    }
}
