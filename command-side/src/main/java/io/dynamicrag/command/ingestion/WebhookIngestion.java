package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingestion entry for managed webhooks (their URL, and their dry-run test): maps a payload with the webhook's
 * config ({@link MappedWebhookPayload}), then validates and submits it like every JSON document
 * ({@link JsonDocumentIngestion}; the tenant's type and size limits are {@link DocumentSubmissions}'). An array is a
 * batch with one result per item, answered like {@code /api/ingest/batch}.
 */
@Component
public class WebhookIngestion {

    private static final int CONTENT_PREVIEW_CHARS = 500;

    private final DocumentSubmissions submissions;
    private final JsonDocumentIngestion documents;

    WebhookIngestion(DocumentSubmissions submissions, JsonDocumentIngestion documents) {
        this.submissions = submissions;
        this.documents = documents;
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
        return Mono.fromCallable(() -> documents.validated(MappedWebhookPayload.toRequest(body, config, webhook)))
                .flatMap(request -> documents.submit(tenant, request))
                .map(accepted -> new Outcome(accepted, 1));
    }

    /** Maps {@code sample} (or, when absent, a payload built from the mapping) without storing anything. */
    public Mono<WebhookPreview> preview(TenantId tenant, WebhookId webhook, WebhookConfig config, JsonNode sample) {
        JsonNode payload = sample == null || sample.isNull() || sample.isMissingNode()
                ? MappedWebhookPayload.sample(config)
                : sample.isArray() && !sample.isEmpty() ? sample.get(0) : sample;
        return Mono.fromCallable(() -> {
                    IngestDocumentRequest request = documents.validated(
                            MappedWebhookPayload.toRequest(payload, config, webhook));
                    // a dry run stores nothing, yet answers the limits exactly as a delivery would
                    submissions.refuseUnlessAllowed(tenant, request.docType(),
                            request.content().getBytes(StandardCharsets.UTF_8).length);
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
        return documents.submitAll(tenant, items, item -> MappedWebhookPayload.toRequest(item, config, webhook))
                .map(result -> new Outcome(result, result.accepted()));
    }

    private static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
