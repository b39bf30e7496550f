package io.dynamicrag.query.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** Tools declare their schemas as JSON text (readable next to the code); this turns the text into a map once. */
final class JsonSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invalid tool schema: " + e.getOriginalMessage(), e);
        }
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
