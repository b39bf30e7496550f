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
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every write to a tenant's Lance datasets that follows from a document event, in one event processor
 * ({@value #PROCESSING_GROUP}) sequenced by tenant: a version's chunks are written once it is embedded, older versions'
 * chunks go once a newer one is indexed, and a deleted document's chunks and files go. The processor's segments are
 * claimed in {@code token_entry}, so all of one tenant's writes happen on the one node holding its segment, in event
 * order, each under the tenant's cluster-wide write lock ({@link TenantWriteLocks}) for the rare moment a segment
 * changes hands under a node that is paused rather than dead; when that node dies, another takes the segment over after
 * the claim timeout and handles the events whose token had not advanced again. Each write is idempotent (a version's
 * rows are replaced, deletions delete whatever is there), so handling an event twice leaves no chunk twice and loses
 * none.
 *
 * <p>The processor hands events over in batches ({@link TenantIndexBatching}); the embedded versions of one batch
 * are written together, one Lance commit per dataset for all of them, when the batch's last event has been handled
 * (or earlier, before an event about one of those documents, so a deletion or a newer version never overtakes
 * them). Each is then reported indexed. Should the batch's write fail even after the step's retries, its versions
 * are written one by one, so only the one at fault is marked failed (stage "index"). Failures that are not a
 * document's (the database is down, the storage unreachable or full) propagate: the processor retries the batch
 * later, in order.
 */
@Component
@ProcessingGroup(TenantIndexWriter.PROCESSING_GROUP)
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
class TenantIndexWriter {

    static final String PROCESSING_GROUP = TenantIndexOwnership.PROCESSOR;
    private static final String PENDING = TenantIndexWriter.class.getName() + ".pending";
    private static final Logger log = LoggerFactory.getLogger(TenantIndexWriter.class);

    private final PipelineArtefacts artefacts;
    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final DocumentVersionIndexer indexer;
    private final BlobStore blobs;
    private final CommandGateway commands;
    private final StepRetry retry;
    private final TenantWriteLocks locks;
    private final EmbeddingUsage usage;

    TenantIndexWriter(PipelineArtefacts artefacts, TenantEmbedders embedders, TenantIndexSpaces spaces,
                      DocumentVersionIndexer indexer, BlobStore blobs, CommandGateway commands, StepRetry retry,
                      TenantWriteLocks locks) {
        this.locks = locks;
        this.artefacts = artefacts;
        this.embedders = embedders;
        this.spaces = spaces;
        this.indexer = indexer;
        this.blobs = blobs;
        this.commands = commands;
        this.retry = retry;
        this.usage = new EmbeddingUsage(commands);
    }

    @EventHandler
    void on(DocumentEmbeddedEvent event) {
        // until this event's transaction ends no other node writes the tenant, even one that still thinks it owns it
        locks.holdForCurrentTransaction(event.tenantId());
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().<List<DocumentEmbeddedEvent>>getOrComputeResource(PENDING,
                    key -> new ArrayList<>()).add(event);
        } else {
            writeAndReport(List.of(event));
        }
    }

    @EventHandler
    void on(DocumentIndexedEvent event) {
        locks.holdForCurrentTransaction(event.tenantId());
        flushPendingOf(event.documentId());
        spaces.withServing(event.tenantId(), space -> {
            indexer.removeOtherVersions(space, event.documentId(), event.version());
            return null;
        });
    }

    @EventHandler
    void on(DocumentDeletedEvent event) {
        locks.holdForCurrentTransaction(event.tenantId());
        flushPendingOf(event.documentId());
        spaces.withServing(event.tenantId(), space -> {
            indexer.remove(space, event.documentId());
            return null;
        });
        int files = blobs.deletePrefix(BlobKeys.documentPrefix(event.tenantId(), event.documentId()));
        log.info("Deleted document {}: chunks removed, {} stored files removed", event.documentId(), files);
    }

    /** Writes and reports the versions this batch has collected so far (the batch's end calls this). */
    void flushPending() {
        if (!CurrentUnitOfWork.isStarted()) {
            return;
        }
        List<DocumentEmbeddedEvent> pending = CurrentUnitOfWork.get().root().getResource(PENDING);
        if (pending == null || pending.isEmpty()) {
            return;
        }
        List<DocumentEmbeddedEvent> batch = List.copyOf(pending);
        pending.clear();
        writeAndReport(batch);
    }

    /** Events about a document whose version waits in the batch come after its write, as in the event order. */
    private void flushPendingOf(DocumentId document) {
        if (CurrentUnitOfWork.isStarted()) {
            List<DocumentEmbeddedEvent> pending = CurrentUnitOfWork.get().root().getResource(PENDING);
            if (pending != null && pending.stream().anyMatch(each -> each.documentId().equals(document))) {
                flushPending();
            }
        }
    }

    private void writeAndReport(List<DocumentEmbeddedEvent> events) {
        Map<TenantId, List<DocumentEmbeddedEvent>> byTenant = new LinkedHashMap<>();
        events.forEach(event -> byTenant.computeIfAbsent(event.tenantId(), t -> new ArrayList<>()).add(event));
        byTenant.forEach((tenant, ofTenant) -> {
            try {
                List<Integer> counts = write(tenant, ofTenant);
                for (int i = 0; i < ofTenant.size(); i++) {
                    reportIndexed(ofTenant.get(i), counts.get(i));
                }
            } catch (PipelineStepException e) {
                if (ofTenant.size() == 1) {
                    fail(ofTenant.get(0), e);
                    return;
                }
                log.warn("Writing {} versions of tenant {} together failed ({}); writing them one by one", ofTenant.size(),
                        tenant, e.getMessage());
                for (DocumentEmbeddedEvent event : ofTenant) {
                    try {
                        reportIndexed(event, write(tenant, List.of(event)).get(0));
                    } catch (PipelineStepException single) {
                        fail(event, single);
                    }
                }
            }
        });
    }

    /**
     * All the versions in one commit per dataset, retried as the step is; the number of chunks of each. Storage that
     * stays unavailable (a full data directory under the Lance datasets, unreachable blobs) fails no document: the
     * failure propagates and the processor handles the batch again later, in order.
     */
    private List<Integer> write(TenantId tenant, List<DocumentEmbeddedEvent> events) {
        return retry.runPropagatingStorageFailure("index", () -> spaces.withServing(tenant, space -> {
            List<VersionToIndex> versions = new ArrayList<>(events.size());
            for (DocumentEmbeddedEvent event : events) {
                List<Chunk> chunks = artefacts.chunks(event.chunksBlobKey());
                List<float[]> vectors;
                if (space.embeddingModel().equals(event.embeddingModel())) {
                    vectors = artefacts.vectors(event.embeddingsBlobKey());
                } else {
                    // the tenant switched models since this version was embedded: embed it with the serving model
                    BatchEmbedding.Usage embedded = BatchEmbedding.embed(
                            embedders.forModel(space.tenant(), space.embeddingModel()), chunks);
                    usage.record("index:" + space.generation() + ":" + event.embeddingsBlobKey(), tenant,
                            event.documentId(), event.version(), space.embeddingModel(), embedded,
                            "model changed before indexing");
                    vectors = embedded.vectors();
                }
                versions.add(new VersionToIndex(event.documentId(), event.version(), event.title(),
                        event.docType(), event.sourceUrl(), chunks, vectors));
            }
            try {
                indexer.indexAll(space, versions);
            } catch (IndexUnavailableException e) {
                log.error("Indexing {} document versions of tenant {} failed", versions.size(), tenant, e);
                throw new PipelineStepException("the search index could not be written", e);
            }
            return versions.stream().map(version -> version.chunks().size()).toList();
        }));
    }

    private void reportIndexed(DocumentEmbeddedEvent event, int chunks) {
        try {
            commands.sendAndWait(new RecordDocumentIndexedCommand(event.documentId(), event.version(), chunks));
        } catch (AggregateNotFoundException deleted) {
            // deleted while we were indexing (or before a replay reached this event): nothing may outlive it
            spaces.withServing(event.tenantId(), space -> {
                indexer.remove(space, event.documentId());
                return null;
            });
            log.info("Document {} was deleted before its index step; its chunks were removed", event.documentId());
        }
    }

    private void fail(DocumentEmbeddedEvent event, PipelineStepException e) {
        commands.sendAndWait(new FailDocumentProcessingCommand(event.documentId(), event.version(), "index",
                StepFailures.describe(e)));
    }
}
