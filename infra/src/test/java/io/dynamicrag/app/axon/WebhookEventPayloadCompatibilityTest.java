package io.dynamicrag.app.axon;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;
import io.dynamicrag.kernel.webhooks.api.event.WebhookCreatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookDeletedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookTriggeredEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUpdatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUrlRotatedEvent;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook events' stored payloads (src/test/resources/events/Webhook*-r1.json) must keep reading, like every
 * other event's (see {@link EventPayloadCompatibilityTest}); none of them may carry a secret.
 */
class WebhookEventPayloadCompatibilityTest {

    private static final TenantId TENANT = new TenantId(UUID.fromString("11111111-1111-1111-1111-111111111111"));
    private static final WebhookId WEBHOOK = new WebhookId(UUID.fromString("33333333-3333-3333-3333-333333333333"));
    private static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");

    private final Serializer serializer = new AxonConfiguration().eventSerializer();

    static List<Object> events() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "n8n");
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping("subject", "body.text", "/ticket/id", null,
                null), metadata, "https://hooks.example.com/done", "md");
        return List.of(
                new WebhookCreatedEvent(WEBHOOK, TENANT, "Support tickets", "event", config, true, "whk_abcd", AT),
                new WebhookUpdatedEvent(WEBHOOK, TENANT, "Tickets", "manual", WebhookConfig.defaults(), false, AT),
                new WebhookUrlRotatedEvent(WEBHOOK, TENANT, "whk_wxyz", AT),
                new WebhookTriggeredEvent(WEBHOOK, TENANT, 2, AT),
                new WebhookDeletedEvent(WEBHOOK, TENANT, AT));
    }

    @ParameterizedTest
    @MethodSource("events")
    void storedPayloadOfTheCurrentRevisionStillReads(Object expected) throws IOException {
        String revision = expected.getClass().getAnnotation(Revision.class).value();
        String file = "/events/" + expected.getClass().getSimpleName() + "-r" + revision + ".json";
        String json;
        try (InputStream in = getClass().getResourceAsStream(file)) {
            assertThat(in).as("stored payload %s", file).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(json.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(expected.getClass().getName(), revision));
        assertThat((Object) serializer.deserialize(stored)).isEqualTo(expected);
        assertThat(json).doesNotContain("whsec_").doesNotContain("tokenHash").doesNotContain("ciphertext");
    }

    @ParameterizedTest
    @MethodSource("events")
    void freshEventRoundTrips(Object event) {
        SerializedObject<byte[]> bytes = serializer.serialize(event, byte[].class);
        assertThat(bytes.getType().getRevision()).isEqualTo(event.getClass().getAnnotation(Revision.class).value());
        assertThat((Object) serializer.deserialize(bytes)).isEqualTo(event);
    }
}
