package io.dynamicrag.query.documents;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.dynamicrag.kernel.ingestion.api.query.DocumentStatusView;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
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

@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/documents")
class DocumentQueryController {

    private static final int MAX_PAGE_SIZE = 100;
    private static final java.util.Set<String> STATUSES = java.util.Set.of("processing", "completed", "failed");

    private final DocumentReadRepository documents;

    DocumentQueryController(DocumentReadRepository documents) {
        this.documents = documents;
    }

    /** {@code status=failed} lists the failed work, which {@code POST /api/documents/{id}/retry} runs again. */
    @GetMapping
    Mono<DocumentPage> list(@AuthenticationPrincipal AuthenticatedTenant caller,
                            @RequestParam(defaultValue = "1") int page,
                            @RequestParam(defaultValue = "20") int size,
                            @RequestParam(required = false) String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be one of " + STATUSES);
        }
        if (page < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page must be 1 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return Mono.zip(documents.page(caller.tenantId(), status, page - 1, size).collectList(),
                        documents.count(caller.tenantId(), status))
                .map(t -> new DocumentPage(t.getT1(), page, size, t.getT2()));
    }

    @GetMapping("/{id}")
    Mono<DocumentDetails> get(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        return documents.findDetails(caller.tenantId(), DocumentNotFound.parse(id))
                .switchIfEmpty(Mono.error(() -> DocumentNotFound.error(id)));
    }

    @GetMapping("/{id}/status")
    Mono<DocumentStatusView> status(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        return documents.findStatus(caller.tenantId(), DocumentNotFound.parse(id))
                .switchIfEmpty(Mono.error(() -> DocumentNotFound.error(id)));
    }

    @GetMapping("/{id}/versions")
    Mono<VersionHistory> versions(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        return documents.versions(caller.tenantId(), DocumentNotFound.parse(id)).collectList()
                .flatMap(versions -> versions.isEmpty()
                        ? Mono.error(DocumentNotFound.error(id))
                        : Mono.just(new VersionHistory(id, versions)));
    }

    record VersionHistory(String documentId, List<VersionView> versions) {
    }

    record DocumentPage(List<DocumentDetails> documents, int page, int size, long total) {
    }
}
