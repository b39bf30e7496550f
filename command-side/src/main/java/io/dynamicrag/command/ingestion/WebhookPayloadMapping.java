package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a document out of whatever JSON a workflow posts to the generic webhook: the first present field of each
 * list of usual names wins; other top-level scalars and the {@code metadata} object become metadata. The document
 * type is {@code doc_type} when given, else html when the content looks like HTML, else txt.
 */
final class WebhookPayloadMapping {

    static final List<String> TITLE = List.of("title", "name", "subject", "filename");
    static final List<String> CONTENT = List.of("content", "text", "body", "markdown", "html", "data");
    static final List<String> EXTERNAL_ID = List.of("external_id", "externalId", "id");
    static final List<String> SOURCE_URL = List.of("source_url", "sourceUrl", "url", "link");
    private static final Set<String> RESERVED = Set.of("doc_type", "docType", "type", "metadata");

    private WebhookPayloadMapping() {
    }

    static IngestDocumentRequest toRequest(JsonNode payload) {
        if (!payload.isObject()) {
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "Each webhook item must be a JSON object");
        }
        String content = first(payload, CONTENT);
        String docType = text(payload.get("doc_type"));
        if (docType == null) {
            docType = content != null && looksLikeHtml(content) ? "html" : "txt";
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        payload.fields().forEachRemaining(field -> {
            boolean mapped = TITLE.contains(field.getKey()) || CONTENT.contains(field.getKey())
                    || EXTERNAL_ID.contains(field.getKey()) || SOURCE_URL.contains(field.getKey())
                    || RESERVED.contains(field.getKey());
            if (!mapped && field.getValue().isValueNode() && metadata.size() < 50) {
                metadata.put(field.getKey(), field.getValue().asText());
            }
        });
        JsonNode given = payload.get("metadata");
        if (given != null && given.isObject()) {
            given.fields().forEachRemaining(field -> metadata.put(field.getKey(),
                    field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
        }
        String title = first(payload, TITLE);
        if (title == null && content != null) {
            title = content.strip().lines().findFirst().orElse("Untitled");
            title = title.length() > 120 ? title.substring(0, 120) : title;
        }
        return new IngestDocumentRequest(title, content, docType, first(payload, SOURCE_URL),
                first(payload, EXTERNAL_ID), metadata);
    }

    private static String first(JsonNode payload, List<String> names) {
        for (String name : names) {
            String value = text(payload.get(name));
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    private static boolean looksLikeHtml(String content) {
        String head = content.stripLeading().toLowerCase(java.util.Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.contains("<body");
    }
}
