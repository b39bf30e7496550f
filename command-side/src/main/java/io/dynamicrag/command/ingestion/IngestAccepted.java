package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;

record IngestAccepted(String documentId, int version, String status, String statusUrl) {

    static IngestAccepted processing(DocumentId id, int version) {
        return new IngestAccepted(id.toString(), version, "processing", "/api/documents/" + id + "/status");
    }
}
