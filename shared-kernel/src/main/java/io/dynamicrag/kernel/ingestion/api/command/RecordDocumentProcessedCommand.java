package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Objects;

/**
 * The results of parse, chunk and embed, which one worker ran back to back, recorded in one command: the document
 * is loaded and its three events are stored once instead of three times. Each part is what that step alone would
 * have reported, and is recorded by the same rules (a part for a stage the document has passed is ignored).
 */
public record RecordDocumentProcessedCommand(
        @TargetAggregateIdentifier DocumentId documentId,
        int version,
        RecordDocumentParsedCommand parsed,
        RecordDocumentChunkedCommand chunked,
        RecordDocumentEmbeddedCommand embedded) {

    public RecordDocumentProcessedCommand {
        Objects.requireNonNull(parsed, "parsed");
        Objects.requireNonNull(chunked, "chunked");
        Objects.requireNonNull(embedded, "embedded");
        requireSame(documentId, version, parsed.documentId(), parsed.version());
        requireSame(documentId, version, chunked.documentId(), chunked.version());
        requireSame(documentId, version, embedded.documentId(), embedded.version());
    }

    private static void requireSame(DocumentId documentId, int version, DocumentId partDocument, int partVersion) {
        if (!documentId.equals(partDocument) || version != partVersion) {
            throw new IllegalArgumentException("every part must be of document " + documentId + " version "
                    + version + ", not " + partDocument + " version " + partVersion);
        }
    }
}
