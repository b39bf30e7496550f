package io.dynamicrag.app.axon;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;
import io.dynamicrag.kernel.webhooks.api.event.WebhookCreatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookDeletedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookTriggeredEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUpdatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUrlRotatedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentDeletedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.event.AdminRoleGrantedEvent;
import io.dynamicrag.kernel.tenancy.api.event.ApiKeyRotatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.OpenAiKeyConfiguredEvent;
import io.dynamicrag.kernel.tenancy.api.event.IndexGenerationActivatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.ReembeddingFailedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantConfigurationChangedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantProfileUpdatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantReinstatedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantSuspendedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.kernel.tenancy.api.event.TenantRegisteredEvent;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.event.UsageRecordedEvent;
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
 * Events are the permanent record: a payload stored today must still read after the classes evolve. Each event has
 * a stored JSON payload of its current revision under {@code src/test/resources/events/}; the test reads those
 * files with today's serializer and also round-trips a fresh instance. A change that breaks an old payload must
 * add an upcaster and a new revision, never edit these files.
 */
class EventPayloadCompatibilityTest {

    private static final TenantId TENANT = new TenantId(UUID.fromString("11111111-1111-1111-1111-111111111111"));
    private static final DocumentId DOC = new DocumentId(UUID.fromString("22222222-2222-2222-2222-222222222222"));
    private static final WebhookId WEBHOOK = new WebhookId(UUID.fromString("33333333-3333-3333-3333-333333333333"));
    private static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");

    private final Serializer serializer = new AxonConfiguration().eventSerializer();

    static List<Object> events() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "n8n");
        WebhookConfig webhookConfig = new WebhookConfig(new WebhookFieldMapping("subject", "body.text", "/ticket/id",
                null, null), metadata, "https://hooks.example.com/done", "md");
        return List.of(
                new TenantRegisteredEvent(TENANT, "a@example.com", "Acme", AT),
                new DocumentSubmittedEvent(DOC, TENANT, 1, "Title", "md", "https://example.com/a", "ext-1",
                        metadata, "tenants/x/raw.md", "ab12", 42, AT),
                new DocumentParsedEvent(DOC, TENANT, 1, "parsed-key", 1234, 3),
                new DocumentChunkedEvent(DOC, TENANT, 1, "chunks-key", 2, 1000, 200),
                new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks-key", "vectors-key", "all-minilm-l6-v2", 384,
                        1234, new java.math.BigDecimal("0.00002468"), "Title", "pdf", "https://example.com/a"),
                new DocumentIndexedEvent(DOC, TENANT, 1, 2, AT),
                new DocumentProcessingFailedEvent(DOC, TENANT, 1, "parse", "no text", AT),
                new DocumentReprocessingStartedEvent(DOC, TENANT, 2, "Title", "pdf", "tenants/x/raw.pdf", AT),
                new DocumentDeletedEvent(DOC, TENANT, 2, AT),
                new TenantProfileUpdatedEvent(TENANT, "b@example.com", "Acme Ltd", AT),
                new TenantConfigurationChangedEvent(TENANT, new TenantConfiguration(120, 20_000, 500, 10,
                        List.of("pdf", "txt"), 800, 100, "all-minilm-l6-v2", "paragraph"), AT),
                new ApiKeyRotatedEvent(TENANT, AT),
                new OpenAiKeyConfiguredEvent(TENANT, true, "sk-…abcd", AT),
                new TenantSuspendedEvent(TENANT, "unpaid", "ops@example.com", AT),
                new TenantReinstatedEvent(TENANT, "ops@example.com", AT),
                new AdminRoleGrantedEvent(TENANT, "configuration", AT),
                new IndexGenerationActivatedEvent(TENANT, 1, "text-embedding-3-small", 1536, 12, 345, AT),
                new ReembeddingFailedEvent(TENANT, "text-embedding-3-large", "the OpenAI key was rejected", AT),
                new WebhookCreatedEvent(WEBHOOK, TENANT, "Support tickets", "event", webhookConfig, true, "whk_abcd",
                        AT),
                new WebhookUpdatedEvent(WEBHOOK, TENANT, "Tickets", "manual", WebhookConfig.defaults(), false, AT),
                new WebhookUrlRotatedEvent(WEBHOOK, TENANT, "whk_wxyz", AT),
                new WebhookTriggeredEvent(WEBHOOK, TENANT, 2, AT),
                new WebhookDeletedEvent(WEBHOOK, TENANT, AT),
                new UsageRecordedEvent(TENANT + "/2026-11-25",
                        UUID.fromString("44444444-4444-4444-4444-444444444444"), TENANT,
                        UsageMetric.EMBEDDING_TOKENS, 1234, new java.math.BigDecimal("0.00002468"), DOC,
                        "5f0c6d1e-8a7b-4c3d-9e2f-1a2b3c4d5e6f", usageDetails(), AT));
    }

    private static Map<String, String> usageDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("model", "text-embedding-3-small");
        details.put("version", "1");
        return details;
    }

    @ParameterizedTest
    @MethodSource("events")
    void storedPayloadOfTheCurrentRevisionStillReads(Object expected) throws IOException {
        String revision = expected.getClass().getAnnotation(Revision.class).value();
        String file = "/events/" + expected.getClass().getSimpleName() + "-r" + revision + ".json";
        String json = payload(file);
        SerializedObject<byte[]> stored = new SimpleSerializedObject<>(json.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(expected.getClass().getName(), revision));
        Object read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(expected);
        // the permanent record never carries a webhook's token or signing secret
        assertThat(json).doesNotContain("whsec_").doesNotContain("tokenHash").doesNotContain("ciphertext");
    }

    /** Payloads of earlier revisions, as stored then, and what they read as today. */
    static List<Object[]> olderRevisions() {
        return List.<Object[]>of(
                new Object[]{"TenantConfigurationChangedEvent-r1.json", "1",
                        new TenantConfigurationChangedEvent(TENANT, new TenantConfiguration(120, 20_000, 500, 10,
                                List.of("pdf", "txt"), 800, 100, "all-minilm-l6-v2", "fixed"), AT)},
                new Object[]{"DocumentEmbeddedEvent-r1.json", "1",
                        new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks-key", "vectors-key", "all-minilm-l6-v2",
                                384, 0, java.math.BigDecimal.ZERO, null, null, null)},
                new Object[]{"DocumentEmbeddedEvent-r2.json", "2",
                        new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks-key", "vectors-key", "all-minilm-l6-v2",
                                384, 1234, new java.math.BigDecimal("0.00002468"), null, null, null)},
                new Object[]{"DocumentEmbeddedEvent-r3.json", "3",
                        new DocumentEmbeddedEvent(DOC, TENANT, 1, "chunks-key", "vectors-key", "all-minilm-l6-v2",
                                384, 1234, new java.math.BigDecimal("0.00002468"), "Title", null, null)});
    }

    @ParameterizedTest
    @MethodSource("olderRevisions")
    void olderRevisionsStillRead(String file, String revision, Object expected) throws IOException {
        String json = payload("/events/" + file);
        Object read = serializer.deserialize(new SimpleSerializedObject<>(json.getBytes(StandardCharsets.UTF_8),
                byte[].class, new SimpleSerializedType(expected.getClass().getName(), revision)));
        assertThat(read).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("events")
    void freshEventRoundTrips(Object event) {
        SerializedObject<byte[]> bytes = serializer.serialize(event, byte[].class);
        assertThat(bytes.getType().getRevision()).isEqualTo(event.getClass().getAnnotation(Revision.class).value());
        assertThat((Object) serializer.deserialize(bytes)).isEqualTo(event);
    }

    private String payload(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as("stored payload %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
