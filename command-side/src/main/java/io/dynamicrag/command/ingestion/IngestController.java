package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.web.WebPageFetcher;
import jakarta.validation.Valid;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON ingestion paths: one document, a batch, a URL to scrape, and the generic webhook. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/ingest")
class IngestController {

    private final DocumentSubmissions submissions;
    private final JsonDocumentIngestion documents;
    private final WebPageFetcher pages;
    private final ObjectMapper json;

    IngestController(DocumentSubmissions submissions, JsonDocumentIngestion documents, WebPageFetcher pages,
                     ObjectMapper json) {
        this.submissions = submissions;
        this.documents = documents;
        this.pages = pages;
        this.json = json;
    }

    @PostMapping("/document")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> ingestDocument(@AuthenticationPrincipal AuthenticatedTenant caller,
                                        @Valid @RequestBody IngestDocumentRequest request) {
        return documents.submit(caller.tenantId(), request);
    }

    /** A JSON array of documents (or {"documents": [...]}); each item gets its own result, in order. */
    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<JsonDocumentIngestion.BatchResult> ingestBatch(@AuthenticationPrincipal AuthenticatedTenant caller,
                                  @RequestBody JsonNode body) {
        JsonNode items = body.isArray() ? body : body.path("documents");
        if (!items.isArray() || items.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Expected a non-empty JSON array of documents (or {\"documents\": [...]})");
        }
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        return documents.submitAll(caller.tenantId(), list, this::asDocumentRequest);
    }

    /**
     * Generic webhook: whatever JSON a workflow posts. Fields are recognised by their usual names (see
     * {@link WebhookPayloadMapping}); an array is a batch.
     */
    @PostMapping("/webhook")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Object> ingestWebhook(@AuthenticationPrincipal AuthenticatedTenant caller, @RequestBody JsonNode body) {
        if (body.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            body.forEach(list::add);
            if (list.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The webhook payload is an empty array");
            }
            return documents.submitAll(caller.tenantId(), list, WebhookPayloadMapping::toRequest).cast(Object.class);
        }
        if (!body.isObject()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The webhook payload must be a JSON object");
        }
        IngestDocumentRequest request = documents.validated(WebhookPayloadMapping.toRequest(body));
        return documents.submit(caller.tenantId(), request).cast(Object.class);
    }

    /** Scrapes a public page: its main content (not navigation or footer) becomes the document. */
    @PostMapping("/url")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> ingestUrl(@AuthenticationPrincipal AuthenticatedTenant caller,
                                   @Valid @RequestBody IngestUrlRequest request) {
        TenantId tenant = caller.tenantId();
        return Mono.fromCallable(() -> pages.fetch(request.url().trim()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(page -> Mono.fromCallable(() -> {
                            // a plain-text URL stays text; a page is kept whole and reduced to its main content
                            String docType = page.contentType() != null && page.contentType().startsWith("text/plain")
                                    ? "txt" : DocumentTypes.WEBPAGE;
                            String title = firstNonBlank(request.title(), page.title(), page.finalUrl());
                            return new NewDocumentContent(truncate(title, 500), docType,
                                    page.finalUrl(), request.externalId(), request.flatMetadata(),
                                    RawContent.of(page.body()));
                        })
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(content -> submissions.submit(tenant, content));
    }

    private IngestDocumentRequest asDocumentRequest(JsonNode item) {
        if (!item.isObject()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Each batch item must be a JSON object");
        }
        try {
            return json.treeToValue(item, IngestDocumentRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Invalid document: "
                    + e.getOriginalMessage());
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return "Untitled";
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    record IngestUrlRequest(
            @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 2048) String url,
            @jakarta.validation.constraints.Size(max = 500) String title,
            @com.fasterxml.jackson.annotation.JsonProperty("external_id")
            @jakarta.validation.constraints.Size(max = 255) String externalId,
            @jakarta.validation.constraints.Size(max = 50) Map<String, Object> metadata) {

        Map<String, String> flatMetadata() {
            return IngestDocumentRequest.flatten(metadata);
        }
    }
}
