package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;
import io.dynamicrag.kernel.webhooks.api.command.CreateWebhookCommand;
import io.dynamicrag.kernel.webhooks.api.command.DeleteWebhookCommand;
import io.dynamicrag.kernel.webhooks.api.command.RecordWebhookTriggeredCommand;
import io.dynamicrag.kernel.webhooks.api.command.RotateWebhookUrlCommand;
import io.dynamicrag.kernel.webhooks.api.command.UpdateWebhookCommand;
import io.dynamicrag.kernel.webhooks.api.event.WebhookCreatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookDeletedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookTriggeredEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUpdatedEvent;
import io.dynamicrag.kernel.webhooks.api.event.WebhookUrlRotatedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;
import static org.axonframework.test.matchers.Matchers.predicate;

class WebhookTest {

    private static final WebhookId ID = WebhookId.random();
    private static final TenantId OWNER = TenantId.random();
    private static final TenantId OTHER = TenantId.random();
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final WebhookConfig CONFIG = new WebhookConfig(
            new WebhookFieldMapping("subject", "body.text", null, null, null), Map.of("source", "n8n"),
            "https://hooks.example.com/done", "md");

    private final InMemoryWebhookEndpoints endpoints = new InMemoryWebhookEndpoints();
    private AggregateTestFixture<Webhook> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Webhook.class);
        fixture.registerInjectableResource(endpoints);
    }

    private WebhookCreatedEvent created() {
        endpoints.rows.clear();
        endpoints.create(ID, OWNER, "token-hash", "v1:ciphertext", CONFIG, true);
        return new WebhookCreatedEvent(ID, OWNER, "Support tickets", "event", CONFIG, true, "whk_abcd", AT);
    }

    private static <T> org.hamcrest.Matcher<List<org.axonframework.messaging.Message<?>>> only(
            Class<T> type, Predicate<T> check) {
        return payloadsMatching(exactSequenceOf(
                predicate((Object p) -> type.isInstance(p) && check.test(type.cast(p))), andNoMore()));
    }

    @Test
    void shouldCreateAndKeepTheTokenAndSigningSecretOutOfTheEvent() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhookCommand(ID, OWNER, "Support tickets", "event", CONFIG, true, "token-hash",
                        "whk_abcd", "v1:ciphertext", AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new WebhookCreatedEvent(ID, OWNER, "Support tickets", "event", CONFIG, true,
                        "whk_abcd", AT));
        assertThat(endpoints.rows.get(ID).tokenHash()).isEqualTo("token-hash");
        assertThat(endpoints.rows.get(ID).signingSecretCiphertext()).isEqualTo("v1:ciphertext");
        assertThat(endpoints.findByTokenHash("token-hash")).map(WebhookEndpointStore.Endpoint::tenantId)
                .contains(OWNER);
    }

    @Test
    void shouldRejectAnUnknownTriggerTypeWithoutEventsOrEndpoint() {
        fixture.givenNoPriorActivity()
                .when(new CreateWebhookCommand(ID, OWNER, "x", "hourly", CONFIG, true, "h", "whk_abcd", "v1:c", AT))
                .expectNoEvents()
                .expectException(InvalidWebhookException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("trigger_type"));
        assertThat(endpoints.rows).isEmpty();
    }

    @Test
    void shouldUpdateOnlyTheGivenFieldsAndTheEndpoint() {
        fixture.given(created())
                .when(new UpdateWebhookCommand(ID, OWNER, null, null, null, false))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(only(WebhookUpdatedEvent.class, e -> !e.active()
                        && e.name().equals("Support tickets") && e.triggerType().equals("event")
                        && e.config().equals(CONFIG)))
                .expectResultMessagePayloadMatching(predicate((WebhookDetails d) -> !d.active()
                        && d.urlTokenPrefix().equals("whk_abcd") && d.createdAt().equals(AT)));
        assertThat(endpoints.rows.get(ID).active()).isFalse();
    }

    @Test
    void shouldEmitNothingWhenAnUpdateChangesNothing() {
        fixture.given(created())
                .when(new UpdateWebhookCommand(ID, OWNER, "Support tickets", "event", CONFIG, true))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldRotateTheUrlByReplacingTheTokenHash() {
        fixture.given(created())
                .when(new RotateWebhookUrlCommand(ID, OWNER, "new-hash", "whk_wxyz"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(only(WebhookUrlRotatedEvent.class, e -> e.urlTokenPrefix().equals("whk_wxyz")
                        && !e.toString().contains("new-hash")));
        assertThat(endpoints.findByTokenHash("token-hash")).isEmpty();
        assertThat(endpoints.findByTokenHash("new-hash")).isPresent();
    }

    @Test
    void shouldDeleteAndRemoveTheEndpoint() {
        fixture.given(created())
                .when(new DeleteWebhookCommand(ID, OWNER))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(only(WebhookDeletedEvent.class, e -> e.webhookId().equals(ID)))
                .expectMarkedDeleted();
        assertThat(endpoints.rows).isEmpty();
    }

    @Test
    void shouldAnswerAnotherTenantLikeAMissingWebhook() {
        for (Object command : List.of(new UpdateWebhookCommand(ID, OTHER, "mine now", null, null, null),
                new RotateWebhookUrlCommand(ID, OTHER, "stolen-hash", "whk_evil"),
                new DeleteWebhookCommand(ID, OTHER),
                new RecordWebhookTriggeredCommand(ID, OTHER, 1))) {
            setUp();
            fixture.given(created())
                    .when(command)
                    .expectNoEvents()
                    .expectException(WebhookNotFoundException.class);
            assertThat(endpoints.rows.get(ID).tokenHash()).isEqualTo("token-hash");
            assertThat(endpoints.rows.get(ID).active()).isTrue();
        }
    }

    @Test
    void shouldRecordTriggersWhileActiveOnly() {
        fixture.given(created())
                .when(new RecordWebhookTriggeredCommand(ID, OWNER, 3))
                .expectEventsMatching(only(WebhookTriggeredEvent.class, e -> e.documentCount() == 3
                        && e.triggeredAt() != null));

        fixture.given(created(), new WebhookUpdatedEvent(ID, OWNER, "Support tickets", "event", CONFIG, false, AT))
                .when(new RecordWebhookTriggeredCommand(ID, OWNER, 1))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void shouldRejectABlankNameOnUpdateWithoutEvents() {
        fixture.given(created())
                .when(new UpdateWebhookCommand(ID, OWNER, " ", null, null, null))
                .expectNoEvents()
                .expectException(InvalidWebhookException.class);
    }

    /** The aggregate is snapshotted with Axon's Jackson serializer: its state must survive the round trip. */
    @Test
    void shouldSurviveSnapshotSerialization() throws Exception {
        ObjectMapper axonLike = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Webhook webhook = new Webhook();
        webhook.on(created());
        webhook.on(new WebhookTriggeredEvent(ID, OWNER, 2, AT.plusSeconds(60)));

        Webhook copy = axonLike.readValue(axonLike.writeValueAsString(webhook), Webhook.class);

        for (Field field : Webhook.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            assertThat(field.get(copy)).as(field.getName()).isEqualTo(field.get(webhook));
        }
    }
}
