package io.dynamicrag.query.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code filters} object of a search body into {@link SearchFilters}. Every problem is a 400 naming the
 * field, and an unknown key is refused rather than ignored: a misspelt filter that silently widened the search
 * would return documents the caller meant to exclude.
 */
final class SearchFiltersReader {

    static final Set<String> KEYS = Set.of("document_ids", "doc_type", "metadata", "created_after", "created_before");
    static final int MAX_DOCUMENT_IDS = 1000;
    static final int MAX_METADATA_KEYS = 50;

    private SearchFiltersReader() {
    }

    static SearchFilters read(JsonNode filters) {
        if (filters == null || filters.isNull()) {
            return SearchFilters.none();
        }
        if (!filters.isObject()) {
            throw invalid("filters must be an object with any of " + allowedKeys());
        }
        for (Iterator<String> names = filters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw invalid("filters." + name + " is not a known filter; allowed: " + allowedKeys());
            }
        }
        Instant after = instant(filters.get("created_after"), "filters.created_after");
        Instant before = instant(filters.get("created_before"), "filters.created_before");
        if (after != null && before != null && !after.isBefore(before)) {
            throw invalid("filters.created_after must be earlier than filters.created_before");
        }
        return new SearchFilters(documentIds(filters.get("document_ids")), docType(filters.get("doc_type")),
                metadata(filters.get("metadata")), after, before);
    }

    private static List<DocumentId> documentIds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_DOCUMENT_IDS) {
            throw invalid("filters.document_ids must be a list of 1 to " + MAX_DOCUMENT_IDS + " document ids");
        }
        List<DocumentId> ids = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode id = node.get(i);
            try {
                if (!id.isTextual()) {
                    throw new IllegalArgumentException();
                }
                ids.add(DocumentId.of(id.asText().trim()));
            } catch (IllegalArgumentException e) {
                throw invalid("filters.document_ids[" + i + "] is not a document id (a UUID): " + id);
            }
        }
        return ids;
    }

    private static String docType(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 50) {
            throw invalid("filters.doc_type must be a document type such as \"pdf\" or \"md\"");
        }
        return node.asText().trim();
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || node.size() > MAX_METADATA_KEYS) {
            throw invalid("filters.metadata must be an object of up to " + MAX_METADATA_KEYS
                    + " keys, each with the value the document's metadata must hold");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            // metadata values are stored as text; numbers and booleans are compared by their text
            if (!value.isValueNode() || value.isNull()) {
                throw invalid("filters.metadata." + field.getKey() + " must be a string, number or boolean");
            }
            metadata.put(field.getKey(), value.asText());
        }
        return metadata;
    }

    /** An ISO-8601 date-time with offset ({@code 2024-05-01T12:00:00Z}) or a date (midnight UTC). */
    private static Instant instant(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isTextual() ? node.asText().trim() : "";
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw invalid(field + " must be an ISO-8601 date (2024-05-01) or date-time (2024-05-01T12:00:00Z),"
                        + " was " + node);
            }
        }
    }

    private static String allowedKeys() {
        return String.join(", ", KEYS.stream().sorted().toList());
    }

    static ResponseStatusException invalid(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
