package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.web.WebPageFetcher;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The JSON ingestion paths: one document, a batch, a URL to scrape, and the generic webhook. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/ingest")
class IngestController {

    private final DocumentSubmissions submissions;
    private final IngestionGate gate;
    private final WebPageFetcher pages;
    private final Validator validator;
    private final ObjectMapper json;
    private final int maxBatchItems;

    IngestController(DocumentSubmissions submissions, IngestionGate gate, WebPageFetcher pages, Validator validator,
                     ObjectMapper json, @Value("${rag.ingest.batch-max-items:100}") int maxBatchItems) {
        this.submissions = submissions;
        this.gate = gate;
        this.pages = pages;
        this.validator = validator;
        this.json = json;
        this.maxBatchItems = maxBatchItems;
    }

    @PostMapping("/document")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<IngestAccepted> ingestDocument(@AuthenticationPrincipal AuthenticatedTenant caller,
                                        @Valid @RequestBody IngestDocumentRequest request) {
        return submitText(caller.tenantId(), request);
    }

    /** A JSON array of documents (or {"documents": [...]}); each item gets its own result, in order. */
    @PostMapping("/batch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<BatchResult> ingestBatch(@AuthenticationPrincipal AuthenticatedTenant caller,
                                  @RequestBody JsonNode body) {
        JsonNode items = body.isArray() ? body : body.path("documents");
        if (!items.isArray() || items.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Expected a non-empty JSON array of documents (or {\"documents\": [...]})");
        }
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        return submitAll(caller.tenantId(), list, this::asDocumentRequest);
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
            return submitAll(caller.tenantId(), list, WebhookPayloadMapping::toRequest).cast(Object.class);
        }
        if (!body.isObject()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The webhook payload must be a JSON object");
        }
        IngestDocumentRequest request = WebhookPayloadMapping.toRequest(body);
        validate(request);
        return submitText(caller.tenantId(), request).cast(Object.class);
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
                            gate.check(tenant, docType, page.body().length);
                            String title = firstNonBlank(request.title(), page.title(), page.finalUrl());
                            return new NewDocumentContent(truncate(title, 500), docType,
                                    page.finalUrl(), request.externalId(), request.flatMetadata(),
                                    RawContent.of(page.body()));
                        })
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMap(content -> submissions.submit(tenant, content));
    }

    private Mono<IngestAccepted> submitText(TenantId tenant, IngestDocumentRequest request) {
        byte[] content = request.content().getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> {
                    gate.check(tenant, request.docType(), content.length);
                    return new NewDocumentContent(request.title().trim(), request.docType(), request.sourceUrl(),
                            request.externalId(), request.flatMetadata(), RawContent.of(content));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(document -> submissions.submit(tenant, document));
    }

    private Mono<BatchResult> submitAll(TenantId tenant, List<JsonNode> items,
                                        java.util.function.Function<JsonNode, IngestDocumentRequest> mapping) {
        if (items.size() > maxBatchItems) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "A batch holds at most " + maxBatchItems
                    + " documents; this one has " + items.size());
        }
        // one after another: a batch must not monopolise the command threads other tenants share
        return Flux.range(0, items.size())
                .concatMap(index -> Mono.defer(() -> {
                            IngestDocumentRequest request = mapping.apply(items.get(index));
                            validate(request);
                            return submitText(tenant, request);
                        })
                        .map(accepted -> BatchItem.accepted(index, accepted))
                        .onErrorResume(e -> Mono.just(BatchItem.rejected(index, e))))
                .collectList()
                .map(BatchResult::of);
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

    private void validate(IngestDocumentRequest request) {
        Set<ConstraintViolation<IngestDocumentRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Invalid request: " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> snake(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
    }

    private static String snake(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
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

    /** Per item: {index, status: processing|duplicate|rejected, document_id, version, status_url, error}. */
    record BatchItem(int index, String status, String documentId, Integer version, String statusUrl,
                     Map<String, Object> error) {

        static BatchItem accepted(int index, IngestAccepted accepted) {
            return new BatchItem(index, accepted.status(), accepted.documentId(), accepted.version(),
                    accepted.statusUrl(), null);
        }

        static BatchItem rejected(int index, Throwable failure) {
            HttpStatus status = ErrorStatus.of(failure);
            String detail = status.is5xxServerError() ? "Internal error; the item was not stored"
                    : ErrorStatus.message(failure);
            return new BatchItem(index, "rejected", null, null, null,
                    Map.of("status", status.value(), "detail", detail));
        }
    }

    record BatchResult(int accepted, int rejected, List<BatchItem> results) {

        static BatchResult of(List<BatchItem> items) {
            int rejected = (int) items.stream().filter(i -> "rejected".equals(i.status())).count();
            return new BatchResult(items.size() - rejected, rejected, items);
        }
    }
}
