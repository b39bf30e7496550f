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
import org.lance.Dataset;
import org.lance.ipc.ScanOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link TenantChunkIndex} on one Lance dataset per tenant and index generation, at
 * {@code <generation directory>/chunks.lance} (see {@link IndexSpace#directory(Path)}), plus its history beside it in
 * {@code versions.lance} (every indexed version, for {@code as_of_version}); the vector size of each dataset is its
 * generation's model's. Keyword search runs Lance's BM25 full-text query on {@code text}, with or without an
 * inverted index.
 *
 * <p>A view on {@link TenantDatasets}, which it shares with the {@link LanceTenantCatalog}: one allocator and Lance
 * session, reads leased from one LRU of open datasets, writes serialised per tenant by one lock with the catalog's
 * writes and the maintenance passes. Only Lance's synchronous APIs are used (the async scanner cannot load classes
 * inside the Spring Boot fat jar). Every {@link Throwable} raised by Lance or Arrow is rethrown as
 * {@link IndexUnavailableException}.
 */
public class LanceTenantChunkIndex extends OnTenantDatasets implements TenantChunkIndex, MaintainedDatasets.Forwarding {

    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String CHUNK_INDEX = "chunk_index";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String VECTOR = "vector";

    private static final List<String> HIT_COLUMNS = List.of(DOCUMENT_ID, VERSION, CHUNK_INDEX, TITLE, TEXT);
    /** A chunk write touches both: history first, then the latest chunks. */
    private static final List<TenantDataset> WRITTEN = List.of(TenantDataset.VERSIONS, TenantDataset.CHUNKS);

    /** With the default settings ({@link Settings#DEFAULTS}) and no old version retained beyond the retention. */
    public LanceTenantChunkIndex(Path dataDir) {
        this(dataDir, Settings.DEFAULTS, RetainedVersions.LATEST_ONLY);
    }

    /** On datasets of its own (closed with it). */
    public LanceTenantChunkIndex(Path dataDir, Settings settings, RetainedVersions retainedVersions) {
        this(new TenantDatasets(dataDir, settings, retainedVersions), true);
    }

    /** On the shared tenant datasets (their owner closes them). */
    public LanceTenantChunkIndex(TenantDatasets datasets) {
        this(datasets, false);
    }

    private LanceTenantChunkIndex(TenantDatasets datasets, boolean ownsDatasets) {
        super(datasets, ownsDatasets);
    }

    /** The Arrow schema of a chunk dataset with vectors of the given dimension. */
    static Schema chunkSchema(int dimensions) {
        return new Schema(List.of(
                new Field(CHUNK_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(DOCUMENT_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(VERSION, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(CHUNK_INDEX, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(TITLE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(TEXT, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                LanceScans.vectorField(VECTOR, dimensions)));
    }

    /** Where the chunk dataset of this index generation lives (it may not exist yet). */
    public Path datasetPath(IndexSpace space) {
        return datasets.path(space, TenantDataset.CHUNKS);
    }

    /**
     * Where the history of this index generation lives: the chunks of every indexed version (superseded ones
     * included) of every document not deleted, for {@code as_of_version} searches.
     */
    public Path versionsPath(IndexSpace space) {
        return datasets.path(space, TenantDataset.VERSIONS);
    }

    @Override
    public void replaceVersions(IndexSpace space, List<VersionChunks> versions) {
        Objects.requireNonNull(versions, "versions");
        if (versions.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (VersionChunks each : versions) {
            if (!seen.add(each.document() + ":" + each.version())) {
                throw new IllegalArgumentException("version " + each.version() + " of document " + each.document()
                        + " appears twice in one write");
            }
            for (IndexedChunk chunk : each.chunks()) {
                requireDimensions(space, chunk.vector(), "chunk " + chunk.chunkIndex());
            }
        }
        String what = versions.size() == 1
                ? "replace version " + versions.get(0).version() + " of document " + versions.get(0).document()
                : "replace " + versions.size() + " document versions";
        datasets.write(space, what, WRITTEN, () -> {
            // history first: once the latest dataset serves the version, as_of_version can find it too
            for (TenantDataset dataset : WRITTEN) {
                replaceRows(space, dataset, versions);
            }
            return null;
        });
    }

    private void replaceRows(IndexSpace space, TenantDataset kind, List<VersionChunks> versions) throws IOException {
        Path path = datasets.path(space, kind);
        if (TenantDatasets.exists(path)) {
            try (Dataset dataset = datasets.open(path)) {
                TenantDatasets.requireCompatible(space, dataset, path);
                TenantDatasets.deleteWhere(dataset, versions.stream()
                        .map(each -> "(" + versionFilter(each.document(), each.version()) + ")")
                        .collect(Collectors.joining(" OR ")));
            }
        }
        if (versions.stream().anyMatch(each -> !each.chunks().isEmpty())) {
            datasets.append(path, chunkSchema(space.dimensions()), root -> fill(root, versions));
            datasets.keepFullTextIndexesCovering(path, kind);
        }
    }

    @Override
    public void deleteDocument(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        datasets.write(space, "delete document " + document, WRITTEN, () -> {
            for (TenantDataset dataset : WRITTEN) {
                datasets.deleteWhere(datasets.path(space, dataset), documentFilter(document));
            }
            return null;
        });
    }

    @Override
    public void deleteOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        Objects.requireNonNull(document, "document");
        datasets.write(space, "delete superseded versions of " + document, List.of(TenantDataset.CHUNKS), () -> {
            // the filter is built from a UUID and an int only
            datasets.deleteWhere(datasetPath(space), documentFilter(document) + " AND version <> " + keepVersion);
            return null;
        });
    }

    @Override
    public List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k) {
        return nearest(space, queryVector, k, ChunkFilter.none(), ChunkSet.LATEST);
    }

    @Override
    public List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k, ChunkFilter filter, ChunkSet set) {
        requireDimensions(space, queryVector, "query vector");
        return searchChunks(space, k, filter, set, "search the " + k + " nearest chunks",
                predicate -> LanceScans.nearest(HIT_COLUMNS, VECTOR, queryVector, k, predicate), true);
    }

    @Override
    public List<ChunkHit> matching(IndexSpace space, String query, int k, ChunkFilter filter, ChunkSet set) {
        Objects.requireNonNull(query, "query");
        if (LanceScans.hasNoTerms(query)) {
            return List.of();
        }
        return searchChunks(space, k, filter, set, "search the " + k + " best keyword matches",
                predicate -> LanceScans.fullText(HIT_COLUMNS, List.of(TEXT), query, k, predicate), false);
    }

    private List<ChunkHit> searchChunks(IndexSpace space, int k, ChunkFilter filter, ChunkSet set, String what,
                                        Function<String, ScanOptions> options, boolean byDistance) {
        Objects.requireNonNull(filter, "filter");
        TenantDataset kind = Objects.requireNonNull(set, "set") == ChunkSet.LATEST
                ? TenantDataset.CHUNKS : TenantDataset.VERSIONS;
        if (k <= 0 || filter.matchesNothing()) {
            return List.of();
        }
        Path path = datasets.path(space, kind);
        // read through the dataset cache: an open handle is leased, refreshed to the latest version if needed
        return datasets.read(space, kind, what, dataset -> {
            TenantDatasets.requireCompatible(space, dataset, path);
            return LanceScans.best(dataset, options.apply(filter.predicate()), byDistance, k,
                    (root, hits) -> readHits(root, byDistance, hits), ChunkHit::score);
        }, List::of);
    }

    @Override
    public long countChunks(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        return read(space, "count the chunks of document " + document,
                dataset -> dataset.countRows(documentFilter(document)), () -> 0L);
    }

    /**
     * The chunk indexes stored for the document, one entry per row, in no particular order: a chunk stored twice
     * shows up twice (drills and tests check that a crash and a takeover left each chunk exactly once).
     */
    public List<Integer> chunkIndexes(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        return read(space, "list the chunks of document " + document, dataset -> {
            List<Integer> indexes = new ArrayList<>();
            LanceScans.scan(dataset, new ScanOptions.Builder().columns(List.of(CHUNK_INDEX))
                    .filter(documentFilter(document)).build(), root -> {
                        IntVector column = (IntVector) root.getVector(CHUNK_INDEX);
                        for (int row = 0; row < root.getRowCount(); row++) {
                            indexes.add(column.get(row));
                        }
                    });
            return indexes;
        }, List::of);
    }

    /**
     * Runs {@code read} on a lease of the latest committed version of the generation's chunk dataset (from the LRU of
     * open datasets); {@code whenAbsent} when nothing has been indexed there yet. The dataset must not be mutated.
     */
    public <T> T read(IndexSpace space, String what, TenantDatasetCache.LanceRead<T> read, Supplier<T> whenAbsent) {
        return datasets.read(space, TenantDataset.CHUNKS, what, read, whenAbsent);
    }

    /** Records every write (begin and end) in {@code log}: see {@link TenantWriteLog}. */
    public void recordWritesIn(TenantWriteLog log) {
        datasets.recordWritesIn(log);
    }

    /** Called after every committed write (the maintenance job counts them); replaces the previous listener. */
    public void onWrite(Consumer<MaintainedDataset> listener) {
        datasets.onWrite(listener);
    }

    /** The open-dataset LRU (sizes, for metrics and tests). */
    public TenantDatasetCache datasetCache() {
        return datasets.datasetCache();
    }

    /** The generations to maintain and their passes, each covering chunks, history and catalog. */
    @Override
    public MaintainedDatasets maintained() {
        return datasets;
    }

    // --- filters: built only from typed UUIDs and ints, never from free text ---

    private static String documentFilter(DocumentId document) {
        return DOCUMENT_ID + " = " + uuidLiteral(document.value());
    }

    private static String versionFilter(DocumentId document, int version) {
        return documentFilter(document) + " AND " + VERSION + " = " + version;
    }

    private static String uuidLiteral(UUID uuid) {
        // UUID#toString yields only [0-9a-f-], so quoting it cannot break out of the literal.
        return "'" + uuid + "'";
    }

    // --- rows ---

    private static void fill(VectorSchemaRoot root, List<VersionChunks> versions) {
        root.allocateNew();
        VarCharVector chunkId = (VarCharVector) root.getVector(CHUNK_ID);
        VarCharVector documentId = (VarCharVector) root.getVector(DOCUMENT_ID);
        IntVector versionColumn = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        VarCharVector title = (VarCharVector) root.getVector(TITLE);
        VarCharVector text = (VarCharVector) root.getVector(TEXT);
        FixedSizeListVector vector = (FixedSizeListVector) root.getVector(VECTOR);
        int row = 0;
        for (VersionChunks each : versions) {
            byte[] documentBytes = LanceScans.utf8(each.document().toString());
            for (IndexedChunk chunk : each.chunks()) {
                chunkId.setSafe(row, LanceScans.utf8(each.document() + ":" + each.version() + ":"
                        + chunk.chunkIndex()));
                documentId.setSafe(row, documentBytes);
                versionColumn.setSafe(row, each.version());
                chunkIndex.setSafe(row, chunk.chunkIndex());
                LanceScans.setText(title, row, chunk.title());
                LanceScans.setText(text, row, chunk.text());
                LanceScans.setVector(vector, row, chunk.vector());
                row++;
            }
        }
        root.setRowCount(row);
    }

    private static void readHits(VectorSchemaRoot root, boolean byDistance, List<ChunkHit> into) {
        IntVector version = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        for (int row = 0; row < root.getRowCount(); row++) {
            into.add(new ChunkHit(LanceScans.text(root, DOCUMENT_ID, row), version.get(row), chunkIndex.get(row),
                    LanceScans.text(root, TITLE, row), LanceScans.text(root, TEXT, row),
                    LanceScans.score(root, byDistance, row)));
        }
    }

    private static void requireDimensions(IndexSpace space, float[] vector, String what) {
        Objects.requireNonNull(vector, what);
        if (vector.length != space.dimensions()) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions, generation "
                    + space.generation() + " (" + space.embeddingModel() + ") expects " + space.dimensions());
        }
    }

    /**
     * The open-dataset LRU ({@code rag.index.cache-size}, {@code idle-ttl}, {@code refresh-after}) and maintenance
     * settings.
     */
    public record Settings(int cacheSize, Duration idleTtl, Duration refreshAfter,
                           IndexMaintenance.Settings maintenance) {

        /** The seed's 100 datasets / 30 minutes; ANN index from 20,000 chunks; versions kept for an hour. */
        public static final Settings DEFAULTS = new Settings(100, Duration.ofMinutes(30), Duration.ZERO,
                new IndexMaintenance.Settings(20_000, org.lance.index.IndexType.IVF_HNSW_SQ, 16, 0.1,
                        Duration.ofHours(1)));

        public Settings {
            Objects.requireNonNull(maintenance, "maintenance");
            if (refreshAfter == null || refreshAfter.isNegative()) {
                throw new IllegalArgumentException("rag.index.refresh-after must not be negative: " + refreshAfter);
            }
            if (!refreshAfter.isZero() && refreshAfter.compareTo(maintenance.retention()) >= 0) {
                // a cached handle older than the retention could point at files cleanup has removed
                throw new IllegalArgumentException("rag.index.refresh-after (" + refreshAfter
                        + ") must be shorter than rag.index.retention (" + maintenance.retention() + ")");
            }
        }
    }
}
