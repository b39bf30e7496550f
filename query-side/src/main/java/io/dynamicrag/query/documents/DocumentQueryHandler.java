package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Answers status queries on the query bus; the projection pushes updates to subscribers of the same query. */
@Component
class DocumentQueryHandler {

    private final DocumentReadRepository documents;

    DocumentQueryHandler(DocumentReadRepository documents) {
        this.documents = documents;
    }

    @QueryHandler
    CompletableFuture<Optional<DocumentStatusView>> handle(FindDocumentStatusQuery query) {
        return documents.findStatus(query.tenantId(), query.documentId())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }
}
