package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.ingestion.api.query.FindDocumentStatusQuery;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/documents/{id}/events}: the document's status as server-sent events — the current status first,
 * then every change (processing -> completed | failed | deleted), then the stream ends. A comment every 15 s keeps
 * proxies from closing an idle stream.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class DocumentEventsController {

    private static final Set<String> FINAL = Set.of("completed", "failed", "deleted");
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration MAX_STREAM = Duration.ofMinutes(30);

    private final QueryGateway queries;

    DocumentEventsController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping(value = "/api/documents/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<DocumentStatusView>> events(@AuthenticationPrincipal AuthenticatedTenant caller,
                                                     @PathVariable String id) {
        DocumentId document;
        try {
            document = DocumentId.of(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
        FindDocumentStatusQuery query = new FindDocumentStatusQuery(caller.tenantId(), document);
        // subscribe first, then read the current status: no change can fall between the two
        return Flux.usingWhen(
                Mono.fromCallable(() -> queries.subscriptionQuery(query,
                        ResponseTypes.optionalInstanceOf(DocumentStatusView.class),
                        ResponseTypes.instanceOf(DocumentStatusView.class))),
                subscription -> statuses(subscription, id),
                subscription -> Mono.fromRunnable(subscription::close));
    }

    private Flux<ServerSentEvent<DocumentStatusView>> statuses(
            SubscriptionQueryResult<Optional<DocumentStatusView>, DocumentStatusView> subscription, String id) {
        Flux<DocumentStatusView> changes = subscription.initialResult()
                .flatMap(initial -> initial.map(Mono::just).orElseGet(() -> Mono.error(notFound(id))))
                .concatWith(subscription.updates())
                .distinctUntilChanged()
                .takeUntil(view -> FINAL.contains(view.status()));
        Flux<ServerSentEvent<DocumentStatusView>> events = changes.map(view -> ServerSentEvent
                .builder(view).event("status").id(view.status() + "-" + view.version()).build());
        Flux<ServerSentEvent<DocumentStatusView>> heartbeats = Flux.interval(HEARTBEAT)
                .map(tick -> ServerSentEvent.<DocumentStatusView>builder().comment("keep-alive").build());
        // one subscription to the status changes, shared by the events and the heartbeat's stop signal
        return events.publish(shared -> Flux.merge(shared,
                        heartbeats.takeUntilOther(shared.then(Mono.just(Boolean.TRUE)))))
                .take(MAX_STREAM);
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Document " + id + " not found");
    }
}
