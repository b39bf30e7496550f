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
 * Writes one document version, with its vectors, into one index generation (chunks, history and catalog): the single place both the pipeline's
 * index step and the re-embedding after a model change go through, so every dataset of a generation is written the
 * same way.
 */
@Component
class DocumentVersionIndexer {

    private final TenantChunkIndex chunks;
    private final CatalogWriter catalog;

    DocumentVersionIndexer(TenantChunkIndex chunks, CatalogWriter catalog) {
        this.chunks = chunks;
        this.catalog = catalog;
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
        catalog.put(space, document, version, title);
        return rows.size();
    }

    /** Removes every row of the document from the generation (chunks, history, catalog). */
    void remove(IndexSpace space, DocumentId document) {
        chunks.deleteDocument(space, document);
        catalog.remove(space, document);
    }

    /** Once a version is active: the rows of other versions leave the latest chunks and the catalog (not history). */
    void removeOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        chunks.deleteOtherVersions(space, document, keepVersion);
        catalog.removeOtherVersions(space, document, keepVersion);
    }
}
