package io.dynamicrag.command.webhooks;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every accepted inbound delivery appends a {@code WebhookTriggeredEvent}, so a busy webhook's stream grows without
 * bound; a snapshot every N events keeps loading it (once per delivery) cheap.
 */
@Configuration
class WebhookAggregateConfiguration {

    static final String SNAPSHOT_TRIGGER = "webhookSnapshotTrigger";

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition webhookSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${rag.webhooks.snapshot-every:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, Math.max(2, threshold));
    }
}
