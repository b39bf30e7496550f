package io.dynamicrag.kernel.search.api.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** How chunks are retrieved: full text (BM25), vectors, or both fused by reciprocal rank. */
public enum SearchMode {
    HYBRID, VECTOR, KEYWORD;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name ("hybrid", "vector", "keyword"); anything else is refused with the allowed values. */
    @JsonCreator
    public static SearchMode fromWire(String value) {
        return Arrays.stream(values())
                .filter(mode -> mode.wireName().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "mode must be one of hybrid, vector, keyword (was '" + value + "')"));
    }
}
