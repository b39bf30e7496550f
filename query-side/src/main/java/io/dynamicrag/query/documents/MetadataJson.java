package io.dynamicrag.query.documents;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

/** Metadata stored as JSONB, written to responses as the JSON object it is (not as an escaped string). */
public record MetadataJson(String json) {

    @JsonValue
    @JsonRawValue
    public String raw() {
        return json == null ? "{}" : json;
    }
}
