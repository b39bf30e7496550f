package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Restarts the pipeline of a version whose processing stalled (its worker crashed or was killed). Sent by the
 * service itself; does nothing when the version has completed or failed in the meantime.
 */
public record ResumeProcessingCommand(@TargetAggregateIdentifier DocumentId documentId, String reason) {
}
