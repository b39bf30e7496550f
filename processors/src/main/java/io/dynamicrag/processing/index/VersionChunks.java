package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;

import java.util.List;
import java.util.Objects;

/** The chunk rows of one document version, as one part of a batched index write. */
public record VersionChunks(DocumentId document, int version, List<IndexedChunk> chunks) {

    public VersionChunks {
        Objects.requireNonNull(document, "document");
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
    }
}
