package io.dynamicrag.query.audit;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.query.documents.DocumentNotFound;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The event history for auditors, straight from the event store: a document's full history (kept after the
 * document is deleted) and the tenant's events page by page. Only the caller's own events, whatever id it sends.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/audit")
class AuditController {

    static final int MAX_LIMIT = 500;

    private final AuditEventRepository events;

    AuditController(AuditEventRepository events) {
        this.events = events;
    }

    @GetMapping("/documents/{id}/events")
    Mono<DocumentHistory> documentHistory(@AuthenticationPrincipal AuthenticatedTenant caller,
                                          @PathVariable String id) {
        DocumentId document = DocumentNotFound.parse(id);
        return events.documentHistory(caller.tenantId(), document).collectList()
                .flatMap(history -> history.isEmpty()
                        ? Mono.error(DocumentNotFound.error(id))
                        : Mono.just(new DocumentHistory(document.toString(), history.size(), history)));
    }

    /**
     * {@code after}: the {@code next_cursor} of the previous page (0 or absent for the first page). The cursor is
     * the event store's global index, so pages never repeat or skip an event that was already committed.
     */
    @GetMapping("/events")
    Mono<EventPage> tenantEvents(@AuthenticationPrincipal AuthenticatedTenant caller,
                                 @RequestParam(defaultValue = "0") long after,
                                 @RequestParam(defaultValue = "100") int limit) {
        if (after < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after must be 0 or a next_cursor");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT);
        }
        // one more than asked tells whether another page follows without a count query
        return events.tenantEvents(caller.tenantId(), after, limit + 1).collectList()
                .map(rows -> {
                    boolean more = rows.size() > limit;
                    List<AuditEventView> page = more ? rows.subList(0, limit) : rows;
                    Long next = page.isEmpty() ? null : page.get(page.size() - 1).globalIndex();
                    return new EventPage(page, page.size(), more, more ? next : null,
                            next == null ? after : next);
                });
    }

    record DocumentHistory(String documentId, int count, List<AuditEventView> events) {
    }

    /**
     * {@code next_cursor} is set when another page follows; {@code resume_after} is always the cursor to poll from
     * later for events that happen after this page (the last index seen, or the request's {@code after}).
     */
    record EventPage(List<AuditEventView> events, int count, boolean hasMore, Long nextCursor, long resumeAfter) {
    }

}
