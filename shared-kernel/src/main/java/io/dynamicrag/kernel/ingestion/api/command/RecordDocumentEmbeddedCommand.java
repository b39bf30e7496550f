package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDocumentEmbeddedCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        String embeddingsBlobKey,
        String embeddingModel,
        int dimensions,
        long tokens,
        java.math.BigDecimal costUsd) {
}
