package io.dynamicrag.command.usage;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A day's ledger takes an event per metered batch, so it is snapshotted to keep loading it cheap. Metering must not
 * skip an event it failed to record: its processor propagates errors, so the tracking processor retries the event
 * (with back-off) instead of logging and moving on.
 */
@Configuration
class UsageAggregateConfiguration {

    static final String SNAPSHOT_TRIGGER = "usageSnapshotTrigger";

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition usageSnapshotTrigger(Snapshotter snapshotter,
                                                   @Value("${rag.usage.snapshot-every:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, Math.max(2, threshold));
    }

    @Bean
    ConfigurerModule usageMeteringRetriesFailedEvents() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(UsageMetering.PROCESSING_GROUP,
                        c -> PropagatingErrorHandler.instance()));
    }
}
