package io.dynamicrag.query.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tools declare their schemas as JSON text (readable next to the code); this turns the text into a map once.
 * A {@code "type"} written as a list ({@code ["string", "null"]}) is rewritten as {@code anyOf} branches of one type
 * each: legal either way, but clients that map tool schemas onto a single-type dialect (the MCP Inspector warns about
 * it) accept only the latter.
 */
final class JsonSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    static Map<String, Object> parse(String json) {
        try {
            Map<String, Object> schema = JSON.readValue(json, new TypeReference<>() {
            });
            return singleTypes(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invalid tool schema: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> singleTypes(Map<String, Object> schema) {
        Map<String, Object> result = new LinkedHashMap<>();
        schema.forEach((key, value) -> {
            if ("type".equals(key) && value instanceof List<?> types) {
                result.put("anyOf", types.stream().map(type -> Map.of("type", type)).toList());
            } else {
                result.put(key, rewrite(value));
            }
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Object rewrite(Object value) {
        if (value instanceof Map<?, ?> map) {
            return singleTypes((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonSchemas::rewrite).toList();
        }
        return value;
    }

    /** The search filters, shared by both search tools. */
    static final String FILTERS = """
            {
              "type": "object",
              "description": "Restrictions applied before ranking; every given part must hold.",
              "properties": {
                "document_ids": {"type": "array", "items": {"type": "string", "format": "uuid"},
                                 "minItems": 1, "maxItems": 100,
                                 "description": "Only these documents (ids from list_documents or earlier results)."},
                "doc_type": {"type": "string", "description": "Only documents of this type: pdf, txt, md, html, docx, webpage."},
                "metadata": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]},
                             "description": "Only documents whose metadata holds every key with this value (compared as text)."},
                "created_after": {"type": "string", "format": "date-time",
                                  "description": "Only documents created at or after this instant (ISO-8601, e.g. 2026-01-31T00:00:00Z)."},
                "created_before": {"type": "string", "format": "date-time",
                                   "description": "Only documents created before this instant (ISO-8601)."}
              },
              "additionalProperties": false
            }""";
}
