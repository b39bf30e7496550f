package io.dynamicrag.processing.index;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Objects;

/**
 * Which work this node holds right now, by the segment claims of its streaming event processors in
 * {@code token_entry}: a sequence identifier (a tenant's id, a document's id) belongs to exactly one segment, and a
 * segment to at most one live node. Work done outside an event handler (index maintenance, re-embedding, stall
 * recovery) asks here first, so it runs on the one node that also handles that tenant's or document's events.
 */
@Component
public class LocalSegmentClaims {

    private final ObjectProvider<EventProcessingConfiguration> processing;

    public LocalSegmentClaims(ObjectProvider<EventProcessingConfiguration> processing) {
        this.processing = processing;
    }

    /** Whether this node holds the segment of {@code processor} that {@code sequenceIdentifier} belongs to. */
    public boolean holds(String processor, Object sequenceIdentifier) {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration == null) {
            return false;
        }
        int hash = Objects.hashCode(sequenceIdentifier);
        return configuration.eventProcessor(processor, StreamingEventProcessor.class)
                .map(p -> p.processingStatus().values().stream()
                        .filter(status -> !status.isErrorState())
                        .map(EventTrackerStatus::getSegment)
                        .anyMatch(segment -> segment.matches(hash)))
                .orElse(false);
    }
}
