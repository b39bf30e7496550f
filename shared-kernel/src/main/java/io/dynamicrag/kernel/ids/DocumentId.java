package io.dynamicrag.kernel.ids;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identity of a document across all of its versions. Always a UUID, so it is safe in file paths and Lance filters. */
public record DocumentId(UUID value) {

    public DocumentId {
        Objects.requireNonNull(value, "tenant id");
    }

    public static DocumentId random() {
        return new DocumentId(UUID.randomUUID());
    }

    @JsonCreator
    public static DocumentId of(String value) {
        return new DocumentId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
