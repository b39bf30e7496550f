package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.TenantChunkIndex;
import io.dynamicrag.processing.index.VersionChunks;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes document versions, with their vectors, into one index generation (chunks, history and catalog): the single
 * place both the pipeline's index step and the re-embedding after a model change go through, so every dataset of a
 * generation is written the same way. Many versions go in one commit per dataset.
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
        indexAll(space, List.of(new VersionToIndex(document, version, title, null, null, texts, vectors)));
        return texts.size();
    }

    /** Replaces the rows of every given version in the generation (idempotent), one commit per dataset. */
    void indexAll(IndexSpace space, List<VersionToIndex> versions) {
        List<VersionChunks> rows = new ArrayList<>(versions.size());
        for (VersionToIndex each : versions) {
            List<IndexedChunk> chunkRows = new ArrayList<>(each.chunks().size());
            for (int i = 0; i < each.chunks().size(); i++) {
                Chunk chunk = each.chunks().get(i);
                chunkRows.add(new IndexedChunk(chunk.index(), each.title(), chunk.text(), each.vectors().get(i)));
            }
            rows.add(new VersionChunks(each.document(), each.version(), chunkRows));
        }
        chunks.replaceVersions(space, rows);
        catalog.putAll(space, versions);
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
