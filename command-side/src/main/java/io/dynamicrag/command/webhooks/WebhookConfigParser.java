package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.command.ingestion.PayloadPath;
import io.dynamicrag.command.web.StorableText;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a webhook's {@code config} from the request, refusing anything it does not understand with a 400 that
 * names the field ({@code config.field_mapping.title: ...}). The callback URL's syntax is checked here; whether its
 * host may be contacted is asked of the outbound policy by the controller.
 */
final class WebhookConfigParser {

    static final int MAX_PATH_LENGTH = 200;
    static final int MAX_PATH_SEGMENTS = 10;
    /** Leaves room for the payload's own metadata within a document's 50 keys. */
    static final int MAX_DEFAULT_METADATA_KEYS = 20;
    static final int MAX_METADATA_KEY_LENGTH = 100;
    static final int MAX_METADATA_VALUE_LENGTH = 1000;
    static final int MAX_URL_LENGTH = 2048;

    private static final Set<String> CONFIG_FIELDS = Set.of("field_mapping", "default_metadata", "callback_url",
            "doc_type");
    private static final List<String> MAPPED_FIELDS = List.of("title", "content", "external_id", "source_url",
            "doc_type");
    private static final Set<String> DOC_TYPES = Set.of("txt", "md", "html");

    private WebhookConfigParser() {
    }

    /** Null or JSON null: the defaults (no mapping, no metadata, no callback). */
    static WebhookConfig parse(JsonNode config) {
        if (config == null || config.isNull() || config.isMissingNode()) {
            return WebhookConfig.defaults();
        }
        if (!config.isObject()) {
            throw new InvalidWebhookException("config", "must be a JSON object");
        }
        unknownFields(config, CONFIG_FIELDS, "config");
        return new WebhookConfig(fieldMapping(config.get("field_mapping")),
                defaultMetadata(config.get("default_metadata")),
                callbackUrl(config.get("callback_url")),
                docType(config.get("doc_type"), "config.doc_type"));
    }

    private static WebhookFieldMapping fieldMapping(JsonNode node) {
        if (node == null || node.isNull()) {
            return WebhookFieldMapping.none();
        }
        if (!node.isObject()) {
            throw new InvalidWebhookException("config.field_mapping", "must be a JSON object");
        }
        unknownFields(node, Set.copyOf(MAPPED_FIELDS), "config.field_mapping");
        return new WebhookFieldMapping(path(node, "title"), path(node, "content"), path(node, "external_id"),
                path(node, "source_url"), path(node, "doc_type"));
    }

    private static String path(JsonNode mapping, String field) {
        JsonNode node = mapping.get(field);
        String name = "config.field_mapping." + field;
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidWebhookException(name, "must be a non-empty string: a field name, a dotted path "
                    + "(ticket.body.text) or a JSON Pointer (/ticket/body/text)");
        }
        String path = node.asText().trim();
        StorableText.problem(path).ifPresent(problem -> {
            throw new InvalidWebhookException(name, problem);
        });
        if (path.length() > MAX_PATH_LENGTH) {
            throw new InvalidWebhookException(name, "must be at most " + MAX_PATH_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            try {
                JsonPointer.compile(path);
            } catch (IllegalArgumentException e) {
                throw new InvalidWebhookException(name, "is not a valid JSON Pointer");
            }
        }
        List<String> segments = PayloadPath.segments(path);
        if (segments.isEmpty() || segments.size() > MAX_PATH_SEGMENTS || segments.stream().anyMatch(String::isEmpty)) {
            throw new InvalidWebhookException(name, "must name a field: no empty segments and at most "
                    + MAX_PATH_SEGMENTS + " of them");
        }
        return path;
    }

    private static Map<String, String> defaultMetadata(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new InvalidWebhookException("config.default_metadata", "must be a JSON object");
        }
        if (node.size() > MAX_DEFAULT_METADATA_KEYS) {
            throw new InvalidWebhookException("config.default_metadata", "must have at most "
                    + MAX_DEFAULT_METADATA_KEYS + " keys");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = "config.default_metadata." + field.getKey();
            if (field.getKey().isBlank() || field.getKey().length() > MAX_METADATA_KEY_LENGTH) {
                throw new InvalidWebhookException(name, "keys must be 1 to " + MAX_METADATA_KEY_LENGTH
                        + " characters");
            }
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidWebhookException(name, "must be a string, number or boolean");
            }
            if (value.asText().length() > MAX_METADATA_VALUE_LENGTH) {
                throw new InvalidWebhookException(name, "must be at most " + MAX_METADATA_VALUE_LENGTH
                        + " characters");
            }
            StorableText.problem(field.getKey()).or(() -> StorableText.problem(value.asText())).ifPresent(problem -> {
                throw new InvalidWebhookException(name, problem);
            });
            metadata.put(field.getKey(), value.asText());
        }
        return metadata;
    }

    private static String callbackUrl(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String field = "config.callback_url";
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidWebhookException(field, "must be an http(s) URL");
        }
        String url = node.asText().trim();
        if (url.length() > MAX_URL_LENGTH) {
            throw new InvalidWebhookException(field, "must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidWebhookException(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidWebhookException(field, "must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidWebhookException(field, "must not contain credentials (user:password@)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidWebhookException(field, "has no valid host name");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidWebhookException(field, "must not contain a #fragment");
        }
        return url;
    }

    static String docType(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
        if (!DOC_TYPES.contains(type)) {
            throw new InvalidWebhookException(field, "must be one of: txt, md, html");
        }
        return type;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String where) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidWebhookException(where + "." + name, "unknown field; expected one of: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        });
    }
}
