package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ingestion entry for managed webhooks (their URL, and their dry-run test): maps a payload with the webhook's
 * config ({@link MappedWebhookPayload}), checks it like every JSON document (validation, the tenant's type and
 * size limits) and submits it through {@link DocumentSubmissions}. An array is a batch with one result per item,
 * answered like {@code /api/ingest/batch}.
 */
@Component
public class WebhookIngestion {

    private static final int CONTENT_PREVIEW_CHARS = 500;

    private final DocumentSubmissions submissions;
    private final IngestionGate gate;
    private final Validator validator;
    private final int maxBatchItems;

    WebhookIngestion(DocumentSubmissions submissions, IngestionGate gate, Validator validator,
                     @Value("${rag.ingest.batch-max-items:100}") int maxBatchItems) {
        this.submissions = submissions;
        this.gate = gate;
        this.validator = validator;
        this.maxBatchItems = maxBatchItems;
    }

    /** The answer to send (202) and how many documents were accepted. */
    public record Outcome(Object body, int accepted) {
    }

    public Mono<Outcome> ingest(TenantId tenant, WebhookId webhook, WebhookConfig config, JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return Mono.error(badRequest("A JSON body is required"));
        }
        if (body.isArray()) {
            return ingestBatch(tenant, webhook, config, body);
        }
        if (!body.isObject()) {
            return Mono.error(badRequest("The webhook payload must be a JSON object or an array of objects"));
        }
        return Mono.fromCallable(() -> validated(MappedWebhookPayload.toRequest(body, config, webhook)))
                .flatMap(request -> submit(tenant, request))
                .map(accepted -> new Outcome(accepted, 1));
    }

    /** Maps {@code sample} (or, when absent, a payload built from the mapping) without storing anything. */
    public Mono<WebhookPreview> preview(TenantId tenant, WebhookId webhook, WebhookConfig config, JsonNode sample) {
        JsonNode payload = sample == null || sample.isNull() || sample.isMissingNode()
                ? MappedWebhookPayload.sample(config)
                : sample.isArray() && !sample.isEmpty() ? sample.get(0) : sample;
        return Mono.fromCallable(() -> {
                    IngestDocumentRequest request = validated(MappedWebhookPayload.toRequest(payload, config, webhook));
                    gate.check(tenant, request.docType(), request.content().getBytes(StandardCharsets.UTF_8).length);
                    String content = request.content();
                    return new WebhookPreview(request.title().trim(), content.length() <= CONTENT_PREVIEW_CHARS
                            ? content : content.substring(0, CONTENT_PREVIEW_CHARS) + "…",
                            request.docType(), request.externalId(), request.sourceUrl(), request.flatMetadata());
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Outcome> ingestBatch(TenantId tenant, WebhookId webhook, WebhookConfig config, JsonNode body) {
        List<JsonNode> items = new ArrayList<>();
        body.forEach(items::add);
        if (items.isEmpty()) {
            return Mono.error(badRequest("The webhook payload is an empty array"));
        }
        if (items.size() > maxBatchItems) {
            return Mono.error(new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "A batch holds at most "
                    + maxBatchItems + " documents; this one has " + items.size()));
        }
        // one after another, like /api/ingest/batch: a batch must not monopolise the shared command threads
        return Flux.range(0, items.size())
                .concatMap(index -> Mono.fromCallable(() -> validated(
                                MappedWebhookPayload.toRequest(items.get(index), config, webhook)))
                        .flatMap(request -> submit(tenant, request))
                        .map(accepted -> IngestController.BatchItem.accepted(index, accepted))
                        .onErrorResume(e -> Mono.just(IngestController.BatchItem.rejected(index, e))))
                .collectList()
                .map(IngestController.BatchResult::of)
                .map(result -> new Outcome(result, result.accepted()));
    }

    private Mono<IngestAccepted> submit(TenantId tenant, IngestDocumentRequest request) {
        byte[] content = request.content().getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> {
                    gate.check(tenant, request.docType(), content.length);
                    return new NewDocumentContent(request.title().trim(), request.docType(), request.sourceUrl(),
                            request.externalId(), request.flatMetadata(), RawContent.of(content));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(document -> submissions.submit(tenant, document));
    }

    private IngestDocumentRequest validated(IngestDocumentRequest request) {
        Set<ConstraintViolation<IngestDocumentRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw badRequest("Invalid request: " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> snake(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private static String snake(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
