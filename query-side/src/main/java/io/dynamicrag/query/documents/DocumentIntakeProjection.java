package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Puts a submitted document (or new version) into {@code documents} and {@code document_versions} in the
 * submitting command's own transaction (a subscribing processor, see application.yml), so the 202 of an ingest
 * goes out with the document already readable: its status_url and the document list never miss it, and the accept
 * path does not wait for {@code document-projection}, whose lag under load had become the accept latency (p50
 * 1.5 s in scripts/bench-accept.sh). A failure here fails the command (nothing is accepted that the read model
 * does not show). The streaming projection applies the same event again later (a no-op) and alone rebuilds the
 * tables on a replay; this one only ever sees new submissions.
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

    @Configuration
    static class ErrorsFailTheCommand {

        @Bean
        ConfigurerModule documentIntakePropagatesErrors() {
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerListenerInvocationErrorHandler(PROCESSING_GROUP, c -> PropagatingErrorHandler.instance()));
        }
    }
}
