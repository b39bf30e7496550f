package io.dynamicrag.command.usage;

import io.dynamicrag.command.axon.AggregateCacheConfiguration;
import io.dynamicrag.kernel.usage.api.UsageLedgers;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import io.dynamicrag.kernel.usage.api.event.UsageRecordedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant's usage ledger for one UTC day ({@link UsageLedgers#idOf}). It records each figure as an event and
 * remembers which source events it has recorded, so a figure derived from an event is recorded once however often
 * that event is replayed. A day's stream grows with use (API calls are flushed every few seconds per endpoint),
 * so the ledger is snapshotted every {@code rag.usage.snapshot-every} events; the remembered sources are only
 * those of the day's documents, so a snapshot stays small.
 */
@Aggregate(snapshotTriggerDefinition = UsageAggregateConfiguration.SNAPSHOT_TRIGGER,
        cache = AggregateCacheConfiguration.USAGE_LEDGERS)
class Usage {

    @AggregateIdentifier
    private String ledgerId;
    private Set<String> recordedSources = new HashSet<>();

    Usage() {
        // for event sourcing and for creating a day's ledger on its first record
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RecordUsageCommand command) {
        Objects.requireNonNull(command.tenantId(), "tenant");
        Objects.requireNonNull(command.metricType(), "metric type");
        Objects.requireNonNull(command.occurredAt(), "occurred at");
        Objects.requireNonNull(command.usageId(), "usage id");
        if (!UsageLedgers.idOf(command.tenantId(), command.occurredAt()).equals(command.ledgerId())) {
            throw new IllegalArgumentException("usage of tenant " + command.tenantId() + " at "
                    + command.occurredAt() + " does not belong in ledger " + command.ledgerId());
        }
        if (command.quantity() < 0) {
            throw new IllegalArgumentException("a usage quantity cannot be negative: " + command.quantity());
        }
        BigDecimal cost = command.costUsd() == null ? BigDecimal.ZERO : command.costUsd();
        if (cost.signum() < 0) {
            throw new IllegalArgumentException("a usage cost cannot be negative: " + cost);
        }
        if (command.sourceEventId() != null && recordedSources.contains(command.sourceEventId())) {
            return;
        }
        apply(new UsageRecordedEvent(command.ledgerId(), command.usageId(), command.tenantId(),
                command.metricType(), command.quantity(), cost, command.documentId(), command.sourceEventId(),
                command.details(), command.occurredAt()));
    }

    @EventSourcingHandler
    void on(UsageRecordedEvent event) {
        ledgerId = event.ledgerId();
        if (event.sourceEventId() != null) {
            recordedSources.add(event.sourceEventId());
        }
    }
}
