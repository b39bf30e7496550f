package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Puts a submitted document (or new version) into {@code documents} and {@code document_versions} in the
 * submitting command's own transaction (a subscribing processor, see application.yml), so the 202 of an ingest
 * goes out with the document already readable: its status_url and the document list never miss it, and the accept
 * path does not wait for {@code document-projection}, whose lag under load had become the accept latency (p50
 * 1.5 s in scripts/bench-accept.sh). A failure here does not refuse the submission (the event store, not the read
 * model, is the record): its writes are rolled back to a savepoint ({@code SavepointPerEvent}) and logged, and the
 * streaming projection meets the event again, applying it or parking it in its dead-letter queue as before. That
 * projection applies every submission a second time (a no-op) and alone rebuilds the tables on a replay; this one
 * only ever sees new submissions.
 */
@Component
@ProcessingGroup(DocumentIntakeProjection.PROCESSING_GROUP)
class DocumentIntakeProjection {

    static final String PROCESSING_GROUP = "document-intake";

    private final SubmittedDocumentRows rows;

    DocumentIntakeProjection(SubmittedDocumentRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event) {
        rows.apply(event);
    }
}
