package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.processing.chunking.Chunk;

import java.util.List;

/** One document version ready for the index: its chunks, their vectors and what the catalog shows of it. */
record VersionToIndex(DocumentId document, int version, String title, String docType, String sourceUrl,
                      List<Chunk> chunks, List<float[]> vectors) {

    VersionToIndex {
        if (chunks.size() != vectors.size()) {
            throw new PermanentStepException("chunks and vectors do not match (" + chunks.size() + " vs "
                    + vectors.size() + ")");
        }
    }
}
