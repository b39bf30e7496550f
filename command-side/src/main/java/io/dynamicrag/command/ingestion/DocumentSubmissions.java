package io.dynamicrag.command.ingestion;

import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.SubmissionOutcome;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentVersionCommand;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.TimeoutException;

/**
 * The one way content enters the system, for every ingestion path: check the tenant's limits (type 415, size 413,
 * empty 400), find the document by its identity (external_id, else source_url), store the raw bytes, then submit a
 * new document or a new version of the existing one. Same content as the latest version is a duplicate. The
 * submission's read-model rows commit with the command (the query side's subscribing {@code document-intake}
 * projection), so a client polling status_url right after the 202 never gets a 404 or the previous version, and
 * the answer does not wait for the streaming projections. The limits are checked here and nowhere else, so no
 * path can skip them; a path that would do expensive work first (spool an upload, hash a stored blob) asks
 * {@link #refuseUnlessAllowed} or {@link #maxFileSizeBytes} early.
 */
@Component
public class DocumentSubmissions {

    private static final Logger log = LoggerFactory.getLogger(DocumentSubmissions.class);
    private static final Duration READ_YOUR_WRITE_WAIT = Duration.ofSeconds(5);

    private final BlockingCommands commands;
    private final BlobStore blobs;
    private final DocumentRegistry registry;
    private final QueryGateway queries;
    private final TenantDocumentLimits limits;

    DocumentSubmissions(BlockingCommands commands, BlobStore blobs, DocumentRegistry registry,
                        QueryGateway queries, TenantDocumentLimits limits) {
        this.commands = commands;
        this.blobs = blobs;
        this.registry = registry;
        this.queries = queries;
        this.limits = limits;
    }

    Mono<IngestAccepted> submit(TenantId tenant, NewDocumentContent document) {
        String identity = DocumentIdentity.key(document.externalId(), document.sourceUrl());
        return Mono.fromCallable(() -> {
                    refuseUnlessAllowed(tenant, document.docType(), document.content().size());
                    return registry.findByIdentity(tenant, identity);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(existing -> existing.isPresent()
                        ? newVersion(tenant, existing.get(), document)
                        : newDocument(tenant, document)
                        .onErrorResume(IdentityTakenException.class,
                                taken -> newVersion(tenant, taken.existing(), document)))
                .doFinally(signal -> document.content().close());
    }

    /** New content for a document named by id (PUT /api/documents/{id}). */
    Mono<IngestAccepted> submitVersion(TenantId tenant, DocumentId id, NewDocumentContent document) {
        return Mono.defer(() -> {
                    // no doc_type keeps the document's type; the limits have always weighed such content as text
                    refuseUnlessAllowed(tenant, document.docType() == null ? "txt" : document.docType(),
                            document.content().size());
                    return newVersion(tenant, id, document);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> document.content().close());
    }

    /**
     * The tenant's limits: an empty document (400), a type it does not accept (415), more bytes than its
     * max_file_size_mb (413). {@link #submit} and {@link #submitVersion} apply them to everything; call this first
     * only to refuse before expensive work, or to check without submitting (a webhook's dry run). Blocking (JDBC):
     * call off the event loop.
     */
    void refuseUnlessAllowed(TenantId tenant, String docType, long sizeBytes) {
        TenantDocumentLimits.Limits tenantLimits = limits.of(tenant);
        if (sizeBytes <= 0) {
            throw IngestionRefusedException.empty();
        }
        String type = DocumentTypes.WEBPAGE.equals(docType) ? "html" : docType;
        if (!tenantLimits.allowedDocumentTypes().contains(type)) {
            throw IngestionRefusedException.typeNotAllowed(type, tenantLimits.allowedDocumentTypes());
        }
        if (sizeBytes > tenantLimits.maxFileSizeBytes()) {
            throw IngestionRefusedException.tooLarge(sizeBytes, tenantLimits.maxFileSizeBytes());
        }
    }

    /** The tenant's max_file_size_mb in bytes: an upload stops being read past it. Blocking (JDBC). */
    long maxFileSizeBytes(TenantId tenant) {
        return limits.of(tenant).maxFileSizeBytes();
    }

    private Mono<IngestAccepted> newDocument(TenantId tenant, NewDocumentContent document) {
        DocumentId id = DocumentId.random();
        String rawKey = store(tenant, id, document);
        SubmitDocumentCommand command = new SubmitDocumentCommand(id, tenant, document.title(), document.docType(),
                document.sourceUrl(), document.externalId(), document.metadata(), rawKey,
                document.content().sha256(), document.content().size());
        return commands.send(command)
                .thenReturn(IngestAccepted.processing(id, 1))
                // an identity taken concurrently: the bytes go under the other document instead
                .doOnError(IdentityTakenException.class, e -> blobs.deletePrefix(BlobKeys.documentPrefix(tenant, id)));
    }

    private Mono<IngestAccepted> newVersion(TenantId tenant, DocumentId id, NewDocumentContent document) {
        String rawKey = store(tenant, id, document);
        SubmitDocumentVersionCommand command = new SubmitDocumentVersionCommand(id, tenant, document.title(),
                document.docType(), document.sourceUrl(), document.externalId(), document.metadata(), rawKey,
                document.content().sha256(), document.content().size());
        return commands.<SubmissionOutcome>send(command)
                // not this tenant's document (or deleted): nothing of this tenant may stay under that id
                .doOnError(e -> e instanceof DocumentNotFoundException
                                || e instanceof org.axonframework.modelling.command.AggregateNotFoundException,
                        e -> blobs.deletePrefix(BlobKeys.documentPrefix(tenant, id)))
                .map(outcome -> outcome.duplicate()
                        ? IngestAccepted.duplicate(id, outcome.version())
                        : IngestAccepted.processing(id, outcome.version()));
    }

    /** Raw uploads are content-addressed, so storing the same bytes twice (a duplicate) rewrites one object. */
    private String store(TenantId tenant, DocumentId id, NewDocumentContent document) {
        String extension = document.docType() == null ? "bin" : document.docType();
        String key = BlobKeys.raw(tenant, id, document.content().sha256(), extension);
        document.content().storeTo(blobs, key, DocumentTypes.contentType(document.docType()));
        return key;
    }

    /**
     * Subscribes to the document's status before {@code send} runs, then waits until the read model shows
     * {@code version} (at most a few seconds: the document is accepted either way).
     */
    Mono<Void> awaitVisible(TenantId tenant, DocumentId id, int version, Mono<Void> send) {
        return awaitStatus(tenant, id, send, view -> view.version() >= version, () -> log.warn(
                "Document {} v{} accepted but not yet visible after {}", id, version, READ_YOUR_WRITE_WAIT));
    }

    /** Sends the deletion and waits until the status read model no longer has the document. */
    Mono<Void> deleteAndAwait(TenantId tenant, DocumentId id, Mono<Void> send) {
        return awaitStatus(tenant, id, send, view -> "deleted".equals(view.status()), () -> { });
    }

    /**
     * Opens a subscription on the document's status, runs {@code send}, and completes when the current status or
     * a later change matches {@code reached} — or, after {@link #READ_YOUR_WRITE_WAIT}, anyway.
     */
    private Mono<Void> awaitStatus(TenantId tenant, DocumentId id, Mono<Void> send,
                                   Predicate<DocumentStatusView> reached, Runnable onTimeout) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> queries.subscriptionQuery(new FindDocumentStatusQuery(tenant, id),
                        ResponseTypes.optionalInstanceOf(DocumentStatusView.class),
                        ResponseTypes.instanceOf(DocumentStatusView.class))),
                subscription -> send
                        .then(statuses(subscription).filter(reached).next())
                        .timeout(READ_YOUR_WRITE_WAIT)
                        .onErrorResume(TimeoutException.class, e -> Mono.fromRunnable(onTimeout))
                        .then(),
                subscription -> Mono.fromRunnable(subscription::close));
    }

    private static Flux<DocumentStatusView> statuses(
            SubscriptionQueryResult<Optional<DocumentStatusView>, DocumentStatusView> subscription) {
        return subscription.initialResult()
                .flatMap(Mono::justOrEmpty)
                .concatWith(subscription.updates());
    }
}
