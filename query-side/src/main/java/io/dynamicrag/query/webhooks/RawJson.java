package io.dynamicrag.query.webhooks;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

/** JSONB written to responses as the JSON it is (not as an escaped string). */
record RawJson(String json) {

    @JsonValue
    @JsonRawValue
    String raw() {
        return json == null ? "{}" : json;
    }
}
