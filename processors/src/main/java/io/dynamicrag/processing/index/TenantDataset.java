package io.dynamicrag.processing.index;

import java.nio.file.Path;
import java.util.List;

/**
 * The Lance datasets of one index generation ({@link IndexSpace#directory(Path)}), side by side in its directory, and
 * the text columns each keeps a full-text (BM25) index on.
 */
public enum TenantDataset {

    /** The chunks of each document's active version (and briefly of a superseded or upcoming one). */
    CHUNKS("chunks.lance", List.of(LanceTenantChunkIndex.TEXT)),
    /** The chunks of every indexed version of every document not deleted, for {@code as_of_version}. */
    VERSIONS("versions.lance", List.of(LanceTenantChunkIndex.TEXT)),
    /** One row per document version: title, type, source, summary and its vector. */
    CATALOG("catalog.lance", List.of(LanceTenantCatalog.TITLE, LanceTenantCatalog.SUMMARY));

    private final String fileName;
    private final List<String> fullTextColumns;

    TenantDataset(String fileName, List<String> fullTextColumns) {
        this.fileName = fileName;
        this.fullTextColumns = fullTextColumns;
    }

    public String fileName() {
        return fileName;
    }

    /** The columns searched by keywords; each has an inverted index named {@code <column>_fts}. */
    public List<String> fullTextColumns() {
        return fullTextColumns;
    }

    /** Where this dataset of the generation lives (it may not exist yet). */
    public Path path(Path dataDir, IndexSpace space) {
        return space.directory(dataDir).resolve(fileName);
    }

    /** The same dataset kind beside another one of the generation (e.g. the catalog next to its chunks). */
    public Path besides(Path sibling) {
        return sibling.resolveSibling(fileName);
    }

    /** The kind of the dataset at {@code path}, by its directory name. */
    public static TenantDataset at(Path path) {
        String name = path.getFileName().toString();
        for (TenantDataset dataset : values()) {
            if (dataset.fileName.equals(name)) {
                return dataset;
            }
        }
        throw new IllegalArgumentException("not a tenant dataset: " + path);
    }
}
