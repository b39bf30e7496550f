package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.index.CatalogEntry;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes document versions' catalog entries: the start of the text as the summary, and as the vector the normalised
 * mean of the version's chunk vectors (the document's centroid in the generation's model). The chunks' vectors serve,
 * so the catalog costs no embedding of its own, and the summary is taken from the chunks, so no stored file is read.
 */
@Component
class CatalogWriter {

    private final LanceTenantCatalog catalog;

    CatalogWriter(LanceTenantCatalog catalog) {
        this.catalog = catalog;
    }

    /** One commit for all the versions; a version without chunks has nothing to find it by and gets no entry. */
    void putAll(IndexSpace space, List<VersionToIndex> versions) {
        List<CatalogEntry> entries = new ArrayList<>(versions.size());
        for (VersionToIndex each : versions) {
            if (!each.chunks().isEmpty()) {
                entries.add(new CatalogEntry(each.document(), each.version(), each.title(), each.docType(),
                        each.sourceUrl(), summaryOf(each.chunks()), centroid(each.vectors(), space.dimensions())));
            }
        }
        catalog.putAll(space, entries);
    }

    void remove(IndexSpace space, DocumentId document) {
        catalog.deleteDocument(space, document);
    }

    void removeOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        catalog.deleteOtherVersions(space, document, keepVersion);
    }

    /**
     * The first {@link CatalogEntry#SUMMARY_CHARACTERS} characters of the text, put together from the chunks by their
     * offsets (overlaps taken once; a gap the chunker skipped, whitespace between paragraphs, becomes one newline).
     */
    static String summaryOf(List<Chunk> chunks) {
        StringBuilder text = new StringBuilder();
        int covered = -1;
        for (Chunk chunk : chunks.stream().sorted(Comparator.comparingInt(Chunk::start)).toList()) {
            if (text.length() > CatalogEntry.SUMMARY_CHARACTERS) {
                break;
            }
            if (covered < 0 || chunk.start() >= covered) {
                if (covered >= 0 && chunk.start() > covered) {
                    text.append('\n');
                }
                text.append(chunk.text());
            } else if (chunk.end() > covered) {
                int skip = covered - chunk.start();
                if (skip < chunk.text().length()) {
                    text.append(chunk.text(), skip, chunk.text().length());
                }
            }
            covered = Math.max(covered, chunk.end());
        }
        return CatalogEntry.summaryOf(text.toString());
    }

    /** The mean of the vectors, scaled to unit length (the models' vectors are unit length, so cosine still holds). */
    static float[] centroid(List<float[]> vectors, int dimensions) {
        double[] sum = new double[dimensions];
        for (float[] vector : vectors) {
            for (int i = 0; i < dimensions; i++) {
                sum[i] += vector[i];
            }
        }
        double norm = 0;
        for (double value : sum) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        float[] centroid = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            centroid[i] = norm == 0 ? 0f : (float) (sum[i] / norm);
        }
        return centroid;
    }
}
