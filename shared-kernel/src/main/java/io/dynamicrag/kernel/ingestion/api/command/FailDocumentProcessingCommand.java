package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Marks the processing of one version as failed at a pipeline stage, with a message a user can read. */
public record FailDocumentProcessingCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        String stage,
        String reason) {
}
