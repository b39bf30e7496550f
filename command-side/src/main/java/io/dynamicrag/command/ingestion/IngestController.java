package io.dynamicrag.command.ingestion;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.command.SubmitDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.storage.BlobStore;
import jakarta.validation.Valid;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/ingest")
class IngestController {

    private static final Logger log = LoggerFactory.getLogger(IngestController.class);
    /** How long a request waits for its document to become visible to status queries before answering anyway. */
    private static final Duration READ_YOUR_WRITE_WAIT = Duration.ofSeconds(5);

    private final BlockingCommands commands;
    private final BlobStore blobs;
    private final QueryGateway queries;

    IngestController(BlockingCommands commands, BlobStore blobs, QueryGateway queries) {
        this.commands = commands;
        this.blobs = blobs;
        this.queries = queries;
    }

    @PostMapping("/document")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> ingestDocument(@AuthenticationPrincipal AuthenticatedTenant caller,
                                        @Valid @RequestBody IngestDocumentRequest request) {
        DocumentId documentId = DocumentId.random();
        byte[] content = request.content().getBytes(StandardCharsets.UTF_8);
        String hash = ContentHash.sha256Hex(content);
        String rawKey = BlobKeys.raw(caller.tenantId(), documentId, hash, request.docType());
        SubmitDocumentCommand command = new SubmitDocumentCommand(documentId, caller.tenantId(),
                request.title().trim(), request.docType(), request.sourceUrl(), request.externalId(),
                request.flatMetadata(), rawKey, hash, content.length);

        return Mono.fromRunnable(() -> blobs.put(rawKey, content))
                .subscribeOn(Schedulers.boundedElastic())
                .then(submitAndAwaitVisibility(command))
                .thenReturn(IngestAccepted.processing(documentId, 1));
    }

    /**
     * Subscribes to the document's status before sending the command, so a client that polls the status URL right
     * after the 202 finds the document instead of a 404.
     */
    private Mono<Void> submitAndAwaitVisibility(SubmitDocumentCommand command) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> queries.subscriptionQuery(
                        new FindDocumentStatusQuery(command.tenantId(), command.documentId()),
                        ResponseTypes.optionalInstanceOf(DocumentStatusView.class),
                        ResponseTypes.instanceOf(DocumentStatusView.class))),
                subscription -> commands.send(command)
                        .then(firstVisible(subscription))
                        .timeout(READ_YOUR_WRITE_WAIT)
                        .onErrorResume(java.util.concurrent.TimeoutException.class, e -> {
                            log.warn("Document {} accepted but not yet visible after {}", command.documentId(),
                                    READ_YOUR_WRITE_WAIT);
                            return Mono.empty();
                        })
                        .then(),
                subscription -> Mono.fromRunnable(subscription::close));
    }

    private static Mono<DocumentStatusView> firstVisible(
            SubscriptionQueryResult<Optional<DocumentStatusView>, DocumentStatusView> subscription) {
        return subscription.initialResult()
                .flatMap(Mono::justOrEmpty)
                .concatWith(subscription.updates())
                .next();
    }
}
