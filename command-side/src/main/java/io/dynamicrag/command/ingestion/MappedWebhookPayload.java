package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.WebhookDocumentMetadata;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a document out of what a workflow posts to a managed webhook's URL: each field from the webhook's
 * field_mapping when the payload has it there, else by the generic webhook's usual names
 * ({@link WebhookPayloadMapping}). The document type: mapped field, then the payload's {@code doc_type}, then the
 * webhook's {@code doc_type}, else html when the content looks like HTML, else txt. Metadata: the webhook's
 * default_metadata, overridden by the payload's own (other top-level scalars and its {@code metadata} object, not
 * counting mapped fields), and always the webhook's id under {@code webhook_id}.
 */
final class MappedWebhookPayload {

    private static final int TITLE_FROM_CONTENT_MAX = 120;

    private MappedWebhookPayload() {
    }

    static IngestDocumentRequest toRequest(JsonNode payload, WebhookConfig config, WebhookId webhook) {
        if (payload == null || !payload.isObject()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Each webhook item must be a JSON object");
        }
        WebhookFieldMapping mapping = config.fieldMapping();
        IngestDocumentRequest usual = WebhookPayloadMapping.toRequest(payload);

        String content = or(PayloadPath.text(payload, mapping.content()), usual.content());
        String title = or(PayloadPath.text(payload, mapping.title()), firstOf(payload, WebhookPayloadMapping.TITLE));
        if (title == null && content != null) {
            title = content.strip().lines().findFirst().orElse("Untitled");
            title = title.length() > TITLE_FROM_CONTENT_MAX ? title.substring(0, TITLE_FROM_CONTENT_MAX) : title;
        }
        String docType = or(PayloadPath.text(payload, mapping.docType()), text(payload.get("doc_type")));
        if (docType == null) {
            docType = config.docType();
        }
        if (docType == null) {
            docType = content != null && looksLikeHtml(content) ? "html" : "txt";
        }

        Map<String, Object> metadata = new LinkedHashMap<>(config.defaultMetadata());
        Map<String, Object> own = new LinkedHashMap<>(usual.metadata());
        for (String path : mappedPaths(mapping)) {
            String field = PayloadPath.topLevelField(payload, path);
            if (field != null && payload.path(field).isValueNode()) {
                own.remove(field);
            }
        }
        own.remove(WebhookDocumentMetadata.WEBHOOK_ID);
        metadata.putAll(own);
        metadata.put(WebhookDocumentMetadata.WEBHOOK_ID, webhook.toString());

        return new IngestDocumentRequest(title, content, docType.toLowerCase(Locale.ROOT),
                or(PayloadPath.text(payload, mapping.sourceUrl()), usual.sourceUrl()),
                or(PayloadPath.text(payload, mapping.externalId()), usual.externalId()),
                metadata);
    }

    /** A payload that exercises the mapping: sample values placed where the webhook reads each field from. */
    static ObjectNode sample(WebhookConfig config) {
        WebhookFieldMapping mapping = config.fieldMapping();
        ObjectNode sample = JsonNodeFactory.instance.objectNode();
        PayloadPath.put(sample, or(mapping.title(), "title"), "Test delivery from Dynamic RAG");
        PayloadPath.put(sample, or(mapping.content(), "content"),
                "This is a sample document sent by the webhook test. It shows how a payload is mapped; nothing "
                        + "is stored.");
        PayloadPath.put(sample, or(mapping.externalId(), "external_id"), "webhook-test-1");
        if (mapping.sourceUrl() != null) {
            PayloadPath.put(sample, mapping.sourceUrl(), "https://example.com/webhook-test");
        }
        if (mapping.docType() != null) {
            PayloadPath.put(sample, mapping.docType(), config.docType() == null ? "txt" : config.docType());
        }
        return sample;
    }

    private static List<String> mappedPaths(WebhookFieldMapping mapping) {
        return Stream.of(mapping.title(), mapping.content(), mapping.externalId(),
                mapping.sourceUrl(), mapping.docType()).filter(Objects::nonNull).toList();
    }

    private static String firstOf(JsonNode payload, List<String> names) {
        for (String name : names) {
            String value = text(payload.get(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        return node.asText().isBlank() ? null : node.asText();
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static boolean looksLikeHtml(String content) {
        String head = content.stripLeading().toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.contains("<body");
    }
}
