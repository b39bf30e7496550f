package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDocumentParsedCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        String parsedBlobKey,
        int characterCount,
        Integer pageCount) {
}
