package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A place in a JSON payload named by a webhook's field mapping: a top-level field name ({@code subject}), a dotted
 * path ({@code ticket.body.text}, with {@code $.} allowed in front, numbers index arrays: {@code items.0.text}) or a
 * JSON Pointer ({@code /ticket/body/text}). A top-level field whose name itself contains dots is found first.
 */
public final class PayloadPath {

    /**
     * {@link #put} makes arrays no longer than this: a mapping may name items.999999, and padding an array up to such
     * an index took a million objects per segment, for a dry run's sample (the fuzz drill ran the JVM out of heap
     * with one request). A larger index is written as an object key instead, which {@link #find} reads the same way.
     */
    static final int MAX_PUT_INDEX = 100;

    private PayloadPath() {
    }

    public static List<String> segments(String path) {
        if (path == null) {
            return List.of();
        }
        if (path.startsWith("/")) {
            List<String> segments = new ArrayList<>();
            for (String raw : path.substring(1).split("/", -1)) {
                segments.add(raw.replace("~1", "/").replace("~0", "~"));
            }
            return segments;
        }
        String dotted = path.startsWith("$.") ? path.substring(2) : path;
        return Arrays.asList(dotted.split("\\.", -1));
    }

    /** The node at {@code path}, or null when the payload has nothing there. */
    static JsonNode find(JsonNode payload, String path) {
        if (payload == null || path == null) {
            return null;
        }
        if (!path.startsWith("/") && payload.has(path)) {
            return payload.get(path);
        }
        JsonNode node = payload;
        for (String segment : segments(path)) {
            if (node == null) {
                return null;
            }
            if (node.isArray()) {
                int index = index(segment);
                node = index < 0 ? null : node.get(index);
            } else if (node.isObject()) {
                node = node.get(segment);
            } else {
                return null;
            }
        }
        return node;
    }

    /** The text of a scalar at {@code path}; null when absent, null, blank or not a scalar. */
    static String text(JsonNode payload, String path) {
        JsonNode node = find(payload, path);
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }

    /** The top-level field a path starts from when it is a plain field name, else null. */
    static String topLevelField(JsonNode payload, String path) {
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/") && payload != null && payload.has(path)) {
            return path;
        }
        List<String> segments = segments(path);
        return segments.size() == 1 ? segments.get(0) : null;
    }

    /** Writes {@code value} at {@code path}, creating objects (and arrays for numeric segments) on the way. */
    static void put(ObjectNode root, String path, String value) {
        List<String> segments = segments(path);
        JsonNode node = root;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            boolean nextIsIndex = !last && putIndex(segments.get(i + 1)) >= 0;
            if (node instanceof ObjectNode object) {
                if (last) {
                    object.put(segment, value);
                    return;
                }
                JsonNode child = object.get(segment);
                if (child == null || child.isValueNode()) {
                    child = nextIsIndex ? object.putArray(segment) : object.putObject(segment);
                }
                node = child;
            } else if (node instanceof ArrayNode array && putIndex(segment) >= 0) {
                int index = putIndex(segment);
                while (array.size() <= index) {
                    array.addObject();
                }
                if (last) {
                    array.set(index, array.textNode(value));
                    return;
                }
                JsonNode child = array.get(index);
                if (!(child instanceof ObjectNode) && !(child instanceof ArrayNode)) {
                    child = nextIsIndex ? array.arrayNode() : array.objectNode();
                    array.set(index, child);
                }
                node = child;
            } else {
                return;
            }
        }
    }

    private static int putIndex(String segment) {
        int index = index(segment);
        return index <= MAX_PUT_INDEX ? index : -1;
    }

    private static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 6 || !segment.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(segment);
    }
}
