package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.ipc.ScanOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each tenant's document catalog, the seed's {@code catalog.lance} next to {@code chunks.lance}: one row per
 * (document, version) with title, type, source URL, the first 1000 characters of the text and the vector of that
 * summary, so "which documents are about X" is answered with documents, not chunks. Like the chunk dataset it may
 * briefly hold a version that is about to become active; search keeps only the active one, and maintenance removes
 * the others once a version is indexed.
 *
 * <p>One catalog per {@link IndexSpace index generation}, beside its {@code chunks.lance}. A view on
 * {@link TenantDatasets}, shared with the {@link LanceTenantChunkIndex}: writes hold the tenant's write lock (one with
 * the chunk writes and maintenance, which compacts the catalog and cleans up its old versions with the chunks');
 * reads lease the latest version from the LRU of open datasets. Every Lance/Arrow {@link Throwable} becomes an
 * {@link IndexUnavailableException}.
 */
public class LanceTenantCatalog extends OnTenantDatasets {

    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String TITLE = "title";
    static final String DOC_TYPE = "doc_type";
    static final String SOURCE_URL = "source_url";
    static final String SUMMARY = "summary";
    static final String VECTOR = "vector";
    private static final List<String> HIT_COLUMNS = List.of(DOCUMENT_ID, VERSION, TITLE, DOC_TYPE, SOURCE_URL, SUMMARY);
    private static final List<TenantDataset> WRITTEN = List.of(TenantDataset.CATALOG);

    /** On datasets of its own with the default settings (closed with it). */
    public LanceTenantCatalog(Path dataDir) {
        this(new TenantDatasets(dataDir), true);
    }

    /** On the shared tenant datasets (their owner closes them). */
    public LanceTenantCatalog(TenantDatasets datasets) {
        this(datasets, false);
    }

    private LanceTenantCatalog(TenantDatasets datasets, boolean ownsDatasets) {
        super(datasets, ownsDatasets);
    }

    static Schema schema(int dimensions) {
        return new Schema(List.of(
                new Field(DOCUMENT_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(VERSION, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(TITLE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(DOC_TYPE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(SOURCE_URL, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(SUMMARY, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                LanceScans.vectorField(VECTOR, dimensions)));
    }

    /** The catalog of this index generation (its vectors are the generation's model's). */
    public Path datasetPath(IndexSpace space) {
        return datasets.path(space, TenantDataset.CATALOG);
    }

    /** Adds (or replaces) the entry of one document version. Idempotent. */
    public void put(IndexSpace space, CatalogEntry entry) {
        putAll(space, List.of(Objects.requireNonNull(entry, "entry")));
    }

    /** Adds (or replaces) the entries of many document versions in one commit. Idempotent. */
    public void putAll(IndexSpace space, List<CatalogEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        entries.forEach(entry -> requireDimensions(space, entry.vector()));
        Path path = datasetPath(space);
        String what = entries.size() == 1 ? "add document " + entries.get(0).documentId() + " to the catalog"
                : "add " + entries.size() + " document versions to the catalog";
        datasets.write(space, "catalog: " + what, WRITTEN, () -> {
            datasets.deleteWhere(path, entries.stream().map(entry -> "(" + documentFilter(entry.documentId())
                    + " AND " + VERSION + " = " + entry.version() + ")").collect(Collectors.joining(" OR ")));
            datasets.append(path, schema(space.dimensions()), root -> fill(root, entries));
            datasets.keepFullTextIndexesCovering(path, TenantDataset.CATALOG);
            return null;
        });
    }

    /** Removes the entries of every version of the document except {@code keepVersion}. */
    public void deleteOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        delete(space, documentFilter(document) + " AND " + VERSION + " <> " + keepVersion,
                "remove superseded catalog entries of " + document);
    }

    /** Removes every entry of the document. */
    public void deleteDocument(IndexSpace space, DocumentId document) {
        delete(space, documentFilter(document), "remove document " + document + " from the catalog");
    }

    /** The k entries nearest to the vector (cosine) among those passing the filter. */
    public List<CatalogHit> nearest(IndexSpace space, float[] vector, int k, ChunkFilter filter) {
        requireDimensions(space, vector);
        return search(space, k, filter, "search the catalog by vector",
                predicate -> LanceScans.nearest(HIT_COLUMNS, VECTOR, vector, k, predicate), true);
    }

    /** The k best entries by BM25 over title and summary among those passing the filter. */
    public List<CatalogHit> matching(IndexSpace space, String query, int k, ChunkFilter filter) {
        if (LanceScans.hasNoTerms(query)) {
            return List.of();
        }
        return search(space, k, filter, "search the catalog by keywords", predicate -> LanceScans.fullText(
                HIT_COLUMNS, TenantDataset.CATALOG.fullTextColumns(), query, k, predicate), false);
    }

    // --- internals ---

    private List<CatalogHit> search(IndexSpace space, int k, ChunkFilter filter, String what,
                                    Function<String, ScanOptions> options, boolean byDistance) {
        Objects.requireNonNull(filter, "filter");
        if (k <= 0 || filter.matchesNothing()) {
            return List.of();
        }
        return datasets.read(space, TenantDataset.CATALOG, what,
                dataset -> LanceScans.best(dataset, options.apply(filter.predicate()), byDistance, k,
                        (root, hits) -> read(root, byDistance, hits), CatalogHit::score), List::of);
    }

    private void delete(IndexSpace space, String predicate, String what) {
        datasets.write(space, "catalog: " + what, WRITTEN, () -> {
            datasets.deleteWhere(datasetPath(space), predicate);
            return null;
        });
    }

    private static String documentFilter(DocumentId document) {
        // a UUID's text is only [0-9a-f-]
        return DOCUMENT_ID + " = '" + document.value() + "'";
    }

    private static void requireDimensions(IndexSpace space, float[] vector) {
        if (vector == null || vector.length != space.dimensions()) {
            throw new IllegalArgumentException("catalog vectors of generation " + space.generation() + " ("
                    + space.embeddingModel() + ") have " + space.dimensions() + " dimensions");
        }
    }

    private static void fill(VectorSchemaRoot root, List<CatalogEntry> entries) {
        root.allocateNew();
        for (int row = 0; row < entries.size(); row++) {
            CatalogEntry entry = entries.get(row);
            ((VarCharVector) root.getVector(DOCUMENT_ID)).setSafe(row, LanceScans.utf8(entry.documentId().toString()));
            ((IntVector) root.getVector(VERSION)).setSafe(row, entry.version());
            LanceScans.setText((VarCharVector) root.getVector(TITLE), row, entry.title());
            LanceScans.setText((VarCharVector) root.getVector(DOC_TYPE), row, entry.docType());
            LanceScans.setText((VarCharVector) root.getVector(SOURCE_URL), row, entry.sourceUrl());
            LanceScans.setText((VarCharVector) root.getVector(SUMMARY), row, entry.summary());
            LanceScans.setVector((FixedSizeListVector) root.getVector(VECTOR), row, entry.vector());
        }
        root.setRowCount(entries.size());
    }

    private static void read(VectorSchemaRoot root, boolean byDistance, List<CatalogHit> into) {
        IntVector version = (IntVector) root.getVector(VERSION);
        for (int row = 0; row < root.getRowCount(); row++) {
            into.add(new CatalogHit(LanceScans.text(root, DOCUMENT_ID, row), version.get(row),
                    LanceScans.text(root, TITLE, row), LanceScans.text(root, DOC_TYPE, row),
                    LanceScans.text(root, SOURCE_URL, row), LanceScans.text(root, SUMMARY, row),
                    LanceScans.score(root, byDistance, row)));
        }
    }
}
