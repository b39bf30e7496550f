package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
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
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant's inbound webhook: its name, trigger type, config and whether its URL takes deliveries. The URL token
 * and the signing secret never enter an event; the handlers write them (hashed, encrypted) to the
 * {@link WebhookEndpointStore} in the command's transaction. Every accepted delivery is an event (for
 * last_triggered_at), so the stream grows with use: the aggregate is snapshotted every
 * {@code rag.webhooks.snapshot-every} events. Another tenant's webhook answers like a missing one.
 */
@Aggregate(snapshotTriggerDefinition = WebhookAggregateConfiguration.SNAPSHOT_TRIGGER)
class Webhook {

    static final Set<String> TRIGGER_TYPES = Set.of("manual", "scheduled", "event");

    @AggregateIdentifier
    private WebhookId webhookId;
    private TenantId tenantId;
    private String name;
    private String triggerType;
    private WebhookConfig config;
    private boolean active;
    private String urlTokenPrefix;
    private Instant createdAt;
    private Instant lastTriggeredAt;

    Webhook() {
        // for event sourcing
    }

    @CommandHandler
    Webhook(CreateWebhookCommand command, WebhookEndpointStore endpoints) {
        requireSettings(command.name(), command.triggerType(), command.config());
        if (command.tokenHash() == null || command.signingSecretCiphertext() == null) {
            throw new IllegalArgumentException("a webhook needs a token hash and a signing secret");
        }
        endpoints.create(command.webhookId(), command.tenantId(), command.tokenHash(),
                command.signingSecretCiphertext(), command.config(), command.active());
        apply(new WebhookCreatedEvent(command.webhookId(), command.tenantId(), command.name(), command.triggerType(),
                command.config(), command.active(), command.urlTokenPrefix(),
                command.createdAt() == null ? Instant.now() : command.createdAt()));
    }

    @CommandHandler
    WebhookDetails handle(UpdateWebhookCommand command, WebhookEndpointStore endpoints) {
        requireOwner(command.tenantId());
        String newName = command.name() == null ? name : command.name();
        String newTriggerType = command.triggerType() == null ? triggerType : command.triggerType();
        WebhookConfig newConfig = command.config() == null ? config : command.config();
        boolean newActive = command.active() == null ? active : command.active();
        requireSettings(newName, newTriggerType, newConfig);
        if (newName.equals(name) && newTriggerType.equals(triggerType) && newConfig.equals(config)
                && newActive == active) {
            return details();
        }
        endpoints.update(webhookId, newConfig, newActive);
        apply(new WebhookUpdatedEvent(webhookId, tenantId, newName, newTriggerType, newConfig, newActive,
                Instant.now()));
        return details();
    }

    @CommandHandler
    WebhookDetails handle(RotateWebhookUrlCommand command, WebhookEndpointStore endpoints) {
        requireOwner(command.tenantId());
        endpoints.replaceToken(webhookId, command.tokenHash());
        apply(new WebhookUrlRotatedEvent(webhookId, tenantId, command.urlTokenPrefix(), Instant.now()));
        return details();
    }

    @CommandHandler
    void handle(DeleteWebhookCommand command, WebhookEndpointStore endpoints) {
        requireOwner(command.tenantId());
        endpoints.delete(webhookId);
        apply(new WebhookDeletedEvent(webhookId, tenantId, Instant.now()));
    }

    /** A delivery that raced a deactivation is not recorded as a trigger of an inactive webhook. */
    @CommandHandler
    void handle(RecordWebhookTriggeredCommand command) {
        requireOwner(command.tenantId());
        if (active) {
            apply(new WebhookTriggeredEvent(webhookId, tenantId, command.documentCount(), Instant.now()));
        }
    }

    private WebhookDetails details() {
        return new WebhookDetails(webhookId, name, triggerType, config, active, urlTokenPrefix, lastTriggeredAt,
                createdAt);
    }

    private void requireOwner(TenantId caller) {
        if (!tenantId.equals(caller)) {
            throw new WebhookNotFoundException(webhookId.toString());
        }
    }

    private static void requireSettings(String name, String triggerType, WebhookConfig config) {
        if (name == null || name.isBlank()) {
            throw new InvalidWebhookException("name", "must not be blank");
        }
        if (!TRIGGER_TYPES.contains(triggerType)) {
            throw new InvalidWebhookException("trigger_type", "must be one of: manual, scheduled, event");
        }
        Objects.requireNonNull(config, "config");
    }

    @EventSourcingHandler
    void on(WebhookCreatedEvent event) {
        webhookId = event.webhookId();
        tenantId = event.tenantId();
        name = event.name();
        triggerType = event.triggerType();
        config = event.config();
        active = event.active();
        urlTokenPrefix = event.urlTokenPrefix();
        createdAt = event.createdAt();
    }

    @EventSourcingHandler
    void on(WebhookUpdatedEvent event) {
        name = event.name();
        triggerType = event.triggerType();
        config = event.config();
        active = event.active();
    }

    @EventSourcingHandler
    void on(WebhookUrlRotatedEvent event) {
        urlTokenPrefix = event.urlTokenPrefix();
    }

    @EventSourcingHandler
    void on(WebhookTriggeredEvent event) {
        lastTriggeredAt = event.triggeredAt();
    }

    @EventSourcingHandler
    void on(WebhookDeletedEvent event) {
        AggregateLifecycle.markDeleted();
    }
}
