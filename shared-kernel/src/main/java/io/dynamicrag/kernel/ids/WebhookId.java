package io.dynamicrag.kernel.ids;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** Identity of a tenant's inbound webhook. Always a UUID. */
public record WebhookId(UUID value) {

    public WebhookId {
        Objects.requireNonNull(value, "webhook id");
    }

    public static WebhookId random() {
        return new WebhookId(UUID.randomUUID());
    }

    @JsonCreator
    public static WebhookId of(String value) {
        return new WebhookId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
