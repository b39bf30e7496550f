package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.FailDocumentProcessingCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentIndexedCommand;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.IndexUnavailableException;
import io.dynamicrag.processing.index.TenantIndexOwnership;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import io.dynamicrag.processing.index.TenantWriteLocks;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Every write to a tenant's Lance datasets that follows from a document event, in one event processor
 * ({@value #PROCESSING_GROUP}) sequenced by tenant: a version's chunks are written once it is embedded, older versions'
 * chunks go once a newer one is indexed, and a deleted document's chunks and files go. The processor's segments are
 * claimed in {@code token_entry}, so all of one tenant's writes happen on the one node holding its segment, in event
 * order, each under the tenant's cluster-wide write lock ({@link TenantWriteLocks}) for the rare moment a segment
 * changes hands under a node that is paused rather than dead; when that node dies, another takes the segment over after the claim timeout and handles the events whose
 * token had not advanced again. Each write is idempotent (a version's rows are replaced, deletions delete whatever is
 * there), so handling an event twice leaves no chunk twice and loses none.
 *
 * <p>A write that still fails after the step's retries marks the document failed (stage "index"). Failures that are
 * not the document's (the database is down) propagate: the processor retries the event later, in order.
 */
@Component
@ProcessingGroup(TenantIndexWriter.PROCESSING_GROUP)
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class TenantIndexWriter {

    static final String PROCESSING_GROUP = TenantIndexOwnership.PROCESSOR;
    private static final Logger log = LoggerFactory.getLogger(TenantIndexWriter.class);

    private final PipelineArtefacts artefacts;
    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final DocumentVersionIndexer indexer;
    private final BlobStore blobs;
    private final CommandGateway commands;
    private final StepRetry retry;
    private final JdbcTemplate jdbc;
    private final TenantWriteLocks locks;

    TenantIndexWriter(PipelineArtefacts artefacts, TenantEmbedders embedders, TenantIndexSpaces spaces,
                      DocumentVersionIndexer indexer, BlobStore blobs, CommandGateway commands, StepRetry retry,
                      JdbcTemplate jdbc, TenantWriteLocks locks) {
        this.locks = locks;
        this.artefacts = artefacts;
        this.embedders = embedders;
        this.spaces = spaces;
        this.indexer = indexer;
        this.blobs = blobs;
        this.commands = commands;
        this.retry = retry;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(DocumentEmbeddedEvent event) {
        // until this event's transaction ends no other node writes the tenant, even one that still thinks it owns it
        locks.holdForCurrentTransaction(event.tenantId());
        int indexed;
        try {
            indexed = write(event);
        } catch (PipelineStepException e) { // after the step's retries, or one that retrying cannot fix
            commands.sendAndWait(new FailDocumentProcessingCommand(event.documentId(), event.version(), "index",
                    StepFailures.describe(e)));
            return;
        }
        try {
            commands.sendAndWait(new RecordDocumentIndexedCommand(event.documentId(), event.version(), indexed));
        } catch (AggregateNotFoundException deleted) {
            // deleted while we were indexing (or before a replay reached this event): nothing may outlive it
            spaces.withServing(event.tenantId(), space -> {
                indexer.remove(space, event.documentId());
                return null;
            });
            log.info("Document {} was deleted before its index step; its chunks were removed", event.documentId());
        }
    }

    private int write(DocumentEmbeddedEvent event) {
        String title = event.title() != null ? event.title() : titleOf(event.tenantId(), event.documentId());
        return retry.run("index", () -> spaces.withServing(event.tenantId(), space -> {
            List<Chunk> chunks = artefacts.chunks(event.chunksBlobKey());
            List<float[]> vectors = space.embeddingModel().equals(event.embeddingModel())
                    ? artefacts.vectors(event.embeddingsBlobKey())
                    // the tenant switched models since this version was embedded: embed it with the serving model
                    : BatchEmbedding.embed(embedders.forModel(space.tenant(), space.embeddingModel()), chunks)
                            .vectors();
            try {
                return indexer.index(space, event.documentId(), event.version(), title, chunks, vectors);
            } catch (IndexUnavailableException e) {
                log.error("Indexing {} v{} failed", event.documentId(), event.version(), e);
                throw new PipelineStepException("the search index could not be written", e);
            }
        }));
    }

    /** Payloads stored before the event carried the title: the read model has it. */
    private String titleOf(TenantId tenant, DocumentId document) {
        return jdbc.query("SELECT title FROM documents WHERE id = ? AND customer_id = ?",
                (rs, i) -> rs.getString(1), document.value(), tenant.value()).stream().findFirst().orElse(null);
    }

    @EventHandler
    void on(DocumentIndexedEvent event) {
        locks.holdForCurrentTransaction(event.tenantId());
        spaces.withServing(event.tenantId(), space -> {
            indexer.removeOtherVersions(space, event.documentId(), event.version());
            return null;
        });
    }

    @EventHandler
    void on(DocumentDeletedEvent event) {
        locks.holdForCurrentTransaction(event.tenantId());
        spaces.withServing(event.tenantId(), space -> {
            indexer.remove(space, event.documentId());
            return null;
        });
        int files = blobs.deletePrefix(BlobKeys.documentPrefix(event.tenantId(), event.documentId()));
        log.info("Deleted document {}: chunks removed, {} stored files removed", event.documentId(), files);
    }
}
