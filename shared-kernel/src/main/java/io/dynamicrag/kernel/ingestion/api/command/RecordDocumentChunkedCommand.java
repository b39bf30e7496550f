package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDocumentChunkedCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        String chunksBlobKey,
        int chunkCount,
        int chunkSize,
        int chunkOverlap) {
}
