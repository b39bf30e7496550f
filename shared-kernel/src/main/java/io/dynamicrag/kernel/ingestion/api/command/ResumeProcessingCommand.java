package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;

/**
 * Restarts the pipeline of a version whose processing stalled (its worker crashed or was killed). Sent by the
 * service itself; does nothing when the version has completed or failed in the meantime, or made progress within
 * {@code quietFor} (so two nodes that both saw the stall restart it once, not twice).
 */
public record ResumeProcessingCommand(@TargetAggregateIdentifier DocumentId documentId, String reason,
                                      Duration quietFor) {

    public ResumeProcessingCommand {
        quietFor = quietFor == null || quietFor.isNegative() ? Duration.ZERO : quietFor;
    }
}
