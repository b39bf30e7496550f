package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.kernel.ids.TenantId;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every JSON document path shares (/api/ingest/document, /batch and /webhook, and the managed webhooks of
 * {@link WebhookIngestion}): a request validated like the {@code @Valid} body of /api/ingest/document, submitted
 * through {@link DocumentSubmissions}, and a batch with one result per item, in the items' order. One copy,
 * so the paths cannot drift apart in what they accept or how they answer.
 */
@Component
class JsonDocumentIngestion {

    private final DocumentSubmissions submissions;
    private final Validator validator;
    private final int maxBatchItems;
    private final int batchConcurrency;

    JsonDocumentIngestion(DocumentSubmissions submissions, Validator validator,
                          @Value("${rag.ingest.batch-max-items:100}") int maxBatchItems,
                          @Value("${rag.ingest.batch-concurrency:4}") int batchConcurrency) {
        this.submissions = submissions;
        this.validator = validator;
        this.maxBatchItems = maxBatchItems;
        this.batchConcurrency = Math.max(1, batchConcurrency);
    }

    /** Submits a validated request (the tenant's limits are checked by {@link DocumentSubmissions}). */
    Mono<IngestAccepted> submit(TenantId tenant, IngestDocumentRequest request) {
        // hashing a large body is CPU work: off the event loop
        return Mono.fromCallable(() -> new NewDocumentContent(request.title().trim(), request.docType(),
                        request.sourceUrl(), request.externalId(), request.flatMetadata(),
                        RawContent.of(request.content().getBytes(StandardCharsets.UTF_8))))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(document -> submissions.submit(tenant, document));
    }

    /**
     * Each item mapped, validated and submitted; a bad item is a rejected result, not a failed batch. Results come in
     * the items' order. Up to {@code rag.ingest.batch-concurrency} items (4) are submitted at once, since each waits
     * mostly for its read-your-write answer, not for a CPU; but when two items name the same document (external_id
     * or source_url), the batch goes one item after another, so the later item is the newer version as its place
     * says. A bounded number: a batch must not monopolise the threads other tenants share.
     * More than {@code rag.ingest.batch-max-items} items: 413.
     */
    Mono<BatchResult> submitAll(TenantId tenant, List<JsonNode> items,
                                Function<JsonNode, IngestDocumentRequest> mapping) {
        if (items.size() > maxBatchItems) {
            return Mono.error(new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "A batch holds at most "
                    + maxBatchItems + " documents; this one has " + items.size()));
        }
        List<Mono<BatchItem>> results = new ArrayList<>(items.size());
        Set<String> identities = new HashSet<>();
        boolean identitiesRepeat = false;
        for (int index = 0; index < items.size(); index++) {
            int at = index;
            IngestDocumentRequest request;
            try {
                request = validated(mapping.apply(items.get(index)));
            } catch (RuntimeException e) {
                results.add(Mono.just(BatchItem.rejected(at, e)));
                continue;
            }
            String identity = request.externalId() != null ? "external:" + request.externalId()
                    : request.sourceUrl() != null ? "url:" + request.sourceUrl() : null;
            identitiesRepeat |= identity != null && !identities.add(identity);
            results.add(Mono.defer(() -> submit(tenant, request))
                    .map(accepted -> BatchItem.accepted(at, accepted))
                    .onErrorResume(e -> Mono.just(BatchItem.rejected(at, e))));
        }
        return Flux.fromIterable(results)
                .flatMapSequential(Function.identity(), identitiesRepeat ? 1 : batchConcurrency)
                .collectList()
                .map(BatchResult::of);
    }

    /** The request, or a 400 naming every broken field (snake_case, in field order). */
    IngestDocumentRequest validated(IngestDocumentRequest request) {
        Set<ConstraintViolation<IngestDocumentRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Invalid request: " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> snake(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private static String snake(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
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
