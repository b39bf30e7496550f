package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.command.DeleteDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.ReprocessDocumentCommand;
import io.dynamicrag.kernel.ingestion.api.command.SubmissionOutcome;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Changing a document by id: new content (a new version), reprocessing, deletion. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/documents")
class DocumentCommandController {

    private final DocumentSubmissions submissions;
    private final BlockingCommands commands;

    DocumentCommandController(DocumentSubmissions submissions, BlockingCommands commands) {
        this.submissions = submissions;
        this.commands = commands;
    }

    /** {@code {content, title?, doc_type?, metadata?}} for a new version, or {@code {reprocess: true}}. */
    @PutMapping("/{id}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> update(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id,
                                @Valid @RequestBody UpdateRequest request) {
        DocumentId document = parse(id);
        TenantId tenant = caller.tenantId();
        boolean hasContent = request.content() != null && !request.content().isBlank();
        if (hasContent == Boolean.TRUE.equals(request.reprocess())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Send either new 'content' (a new version) or \"reprocess\": true, not both or neither");
        }
        Mono<IngestAccepted> result;
        if (hasContent) {
            byte[] bytes = request.content().getBytes(StandardCharsets.UTF_8);
            result = Mono.fromCallable(() -> new NewDocumentContent(request.title(), request.docType(), null, null,
                            IngestDocumentRequest.flatten(request.metadata()), RawContent.of(bytes)))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(content -> submissions.submitVersion(tenant, document, content));
        } else {
            result = commands.<SubmissionOutcome>send(new ReprocessDocumentCommand(document, tenant))
                    .flatMap(outcome -> submissions.awaitVisible(tenant, document, outcome.version(), Mono.empty())
                            .thenReturn(IngestAccepted.processing(document, outcome.version())));
        }
        return result.onErrorMap(AggregateNotFoundException.class, e -> notFound(id));
    }

    /** Runs a failed (or finished) document's latest version through the pipeline again. */
    @org.springframework.web.bind.annotation.PostMapping("/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> retry(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        DocumentId document = parse(id);
        TenantId tenant = caller.tenantId();
        return commands.<SubmissionOutcome>send(new ReprocessDocumentCommand(document, tenant))
                .flatMap(outcome -> submissions.awaitVisible(tenant, document, outcome.version(), Mono.empty())
                        .thenReturn(IngestAccepted.processing(document, outcome.version())))
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(id));
    }

    @DeleteMapping("/{id}")
    Mono<Map<String, String>> delete(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        DocumentId document = parse(id);
        return submissions.deleteAndAwait(caller.tenantId(), document,
                        commands.send(new DeleteDocumentCommand(document, caller.tenantId())).then())
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(id))
                .thenReturn(Map.of("document_id", id, "status", "deleted"));
    }

    private static DocumentId parse(String id) {
        try {
            return DocumentId.of(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Document " + id + " not found");
    }

    record UpdateRequest(
            String content,
            @Size(max = 500) String title,
            @Pattern(regexp = "txt|md|html", message = "must be one of: txt, md, html")
            @JsonProperty("doc_type") String docType,
            @Size(max = 50) Map<String, Object> metadata,
            Boolean reprocess) {
    }
}
