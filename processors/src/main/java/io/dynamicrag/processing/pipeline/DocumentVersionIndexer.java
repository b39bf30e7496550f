package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.TenantChunkIndex;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one document version, with its vectors, into one index generation: the single place both the pipeline's
 * index step and the re-embedding after a model change go through, so every dataset of a generation is written the
 * same way.
 */
@Component
class DocumentVersionIndexer {

    private final TenantChunkIndex chunks;

    DocumentVersionIndexer(TenantChunkIndex chunks) {
        this.chunks = chunks;
    }

    /** Replaces the version's rows in the generation (idempotent); returns the number of chunks written. */
    int index(IndexSpace space, DocumentId document, int version, String title, List<Chunk> texts,
              List<float[]> vectors) {
        if (texts.size() != vectors.size()) {
            throw new PermanentStepException("chunks and vectors do not match (" + texts.size() + " vs "
                    + vectors.size() + ")");
        }
        List<IndexedChunk> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Chunk chunk = texts.get(i);
            rows.add(new IndexedChunk(chunk.index(), title, chunk.text(), vectors.get(i)));
        }
        chunks.replaceVersion(space, document, version, rows);
        return rows.size();
    }

    /** Removes every row of the document from the generation. */
    void remove(IndexSpace space, DocumentId document) {
        chunks.deleteDocument(space, document);
    }
}
