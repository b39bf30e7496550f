package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.ids.DocumentId;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of one tool call, read with the checks the tool's input schema promises. The SDK does not validate
 * arguments against the schema on the server, so every tool reads its arguments only through here; a violation is a
 * {@link ToolError} that names the argument and what is allowed.
 */
final class ToolArguments {

    private final Map<String, Object> values;

    private ToolArguments(Map<String, Object> values) {
        this.values = values;
    }

    /** Refuses names the tool does not know, so a typo ({@code topk}) is reported instead of silently ignored. */
    static ToolArguments of(Map<String, Object> arguments, Collection<String> allowed) {
        Map<String, Object> values = arguments == null ? Map.of() : arguments;
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new ToolError("Unknown argument(s) " + unknown + "; allowed: " + new TreeSet<>(allowed));
        }
        return new ToolArguments(values);
    }

    String requiredText(String name, int maxLength) {
        Object value = values.get(name);
        if (value == null) {
            throw new ToolError(name + " is required");
        }
        if (!(value instanceof String text)) {
            throw new ToolError(name + " must be a string");
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new ToolError(name + " must not be blank");
        }
        if (trimmed.length() > maxLength) {
            throw new ToolError(name + " must be at most " + maxLength + " characters");
        }
        return trimmed;
    }

    String optionalText(String name, int maxLength) {
        return values.get(name) == null ? null : requiredText(name, maxLength);
    }

    int optionalInt(String name, int min, int max, int fallback) {
        Integer value = optionalInteger(name, min, max);
        return value == null ? fallback : value;
    }

    Integer optionalInteger(String name, int min, int max) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        return integer(name, value, min, max);
    }

    /** One of the allowed values (compared ignoring case), or the fallback when absent. */
    String optionalChoice(String name, List<String> allowed, String fallback) {
        String value = optionalText(name, 100);
        if (value == null) {
            return fallback;
        }
        return allowed.stream().filter(choice -> choice.equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new ToolError(name + " must be one of " + allowed + " (was '" + value + "')"));
    }

    DocumentId requiredDocumentId(String name) {
        return documentId(name, requiredText(name, 100));
    }

    /** A nested object argument, itself checked for unknown names; empty when absent. */
    ToolArguments optionalObject(String name, Collection<String> allowed) {
        Object value = values.get(name);
        if (value == null) {
            return new ToolArguments(Map.of());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ToolError(name + " must be an object");
        }
        Map<String, Object> nested = new LinkedHashMap<>();
        map.forEach((key, item) -> nested.put(String.valueOf(key), item));
        Set<String> unknown = new TreeSet<>(nested.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new ToolError("Unknown field(s) " + unknown + " in " + name + "; allowed: "
                    + new TreeSet<>(allowed));
        }
        return new ToolArguments(nested);
    }

    boolean isEmpty() {
        return values.values().stream().allMatch(value -> value == null);
    }

    /** A list of document ids (UUIDs); null when absent. */
    List<DocumentId> optionalDocumentIds(String name, int maxItems) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> items)) {
            throw new ToolError(name + " must be an array of document ids");
        }
        if (items.isEmpty() || items.size() > maxItems) {
            throw new ToolError(name + " must hold between 1 and " + maxItems + " document ids");
        }
        List<DocumentId> ids = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text)) {
                throw new ToolError(name + " must be an array of strings");
            }
            ids.add(documentId(name, text.trim()));
        }
        return ids;
    }

    /** An object of string keys to scalar values, compared as text; null when absent. */
    Map<String, String> optionalStringMap(String name, int maxEntries) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ToolError(name + " must be an object of key: value pairs");
        }
        if (map.size() > maxEntries) {
            throw new ToolError(name + " may hold at most " + maxEntries + " entries");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((key, item) -> {
            if (item instanceof String || item instanceof Number || item instanceof Boolean) {
                result.put(String.valueOf(key), String.valueOf(item));
            } else {
                throw new ToolError(name + "." + key + " must be a string, number or boolean");
            }
        });
        return result;
    }

    Instant optionalInstant(String name) {
        String value = optionalText(name, 64);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ToolError(name + " must be an ISO-8601 UTC timestamp such as 2026-01-31T00:00:00Z (was '"
                    + value + "')");
        }
    }

    private static int integer(String name, Object value, int min, int max) {
        long number;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            number = ((Number) value).longValue();
        } else if (value instanceof Number decimal && decimal.doubleValue() == Math.rint(decimal.doubleValue())
                && !Double.isInfinite(decimal.doubleValue())) {
            number = (long) decimal.doubleValue();
        } else {
            throw new ToolError(name + " must be an integer");
        }
        if (number < min || number > max) {
            throw new ToolError(name + " must be between " + min + " and " + max + " (was " + number + ")");
        }
        return (int) number;
    }

    private static DocumentId documentId(String name, String value) {
        try {
            return DocumentId.of(value);
        } catch (IllegalArgumentException e) {
            throw new ToolError(name + " must be a document id (a UUID); was '" + value + "'");
        }
    }
}
