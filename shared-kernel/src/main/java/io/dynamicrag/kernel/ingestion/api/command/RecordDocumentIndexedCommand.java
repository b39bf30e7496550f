package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDocumentIndexedCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        int chunkCount) {
}
