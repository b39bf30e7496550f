package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Keeps each tenant's Lance datasets to what search may return: once a version is indexed the chunks and catalog
 * entries of older versions go (the history in versions.lance keeps them for as_of_version); once a document is
 * deleted every chunk, its history, its catalog entry and every stored file of it go. Both are idempotent, so a
 * replay or a redelivery is harmless.
 */
@Component
@ProcessingGroup(DocumentIndexMaintenance.PROCESSING_GROUP)
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class DocumentIndexMaintenance {

    static final String PROCESSING_GROUP = "document-index-maintenance";
    private static final Logger log = LoggerFactory.getLogger(DocumentIndexMaintenance.class);

    private final DocumentVersionIndexer index;
    private final TenantIndexSpaces spaces;
    private final BlobStore blobs;

    DocumentIndexMaintenance(DocumentVersionIndexer index, TenantIndexSpaces spaces, BlobStore blobs) {
        this.index = index;
        this.spaces = spaces;
        this.blobs = blobs;
    }

    @EventHandler
    void on(DocumentIndexedEvent event) {
        spaces.withServing(event.tenantId(), space -> {
            index.removeOtherVersions(space, event.documentId(), event.version());
            return null;
        });
    }

    @EventHandler
    void on(DocumentDeletedEvent event) {
        spaces.withServing(event.tenantId(), space -> {
            index.remove(space, event.documentId());
            return null;
        });
        int files = blobs.deletePrefix(BlobKeys.documentPrefix(event.tenantId(), event.documentId()));
        log.info("Deleted document {}: chunks removed, {} stored files removed", event.documentId(), files);
    }
}
