package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Session;
import org.lance.WriteParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Each tenant's document catalog, the seed's {@code catalog.lance} next to {@code chunks.lance}: one row per
 * (document, version) with title, type, source URL, the first 1000 characters of the text and the vector of that
 * summary, so "which documents are about X" is answered with documents, not chunks. Like the chunk dataset it may
 * briefly hold a version that is about to become active; search keeps only the active one, and maintenance removes
 * the others once a version is indexed.
 *
 * <p>One catalog per {@link IndexSpace index generation}, beside its {@code chunks.lance}. Writes to one tenant are
 * serialised; reads open the latest version. Every Lance/Arrow {@link Throwable} becomes
 * an {@link IndexUnavailableException}.
 */
public class LanceTenantCatalog implements AutoCloseable {

    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String TITLE = "title";
    static final String DOC_TYPE = "doc_type";
    static final String SOURCE_URL = "source_url";
    static final String SUMMARY = "summary";
    static final String VECTOR = "vector";
    private static final List<String> HIT_COLUMNS = List.of(DOCUMENT_ID, VERSION, TITLE, DOC_TYPE, SOURCE_URL, SUMMARY);
    private static final List<String> TEXT_COLUMNS = List.of(TITLE, SUMMARY);

    private final Path dataDir;
    private final BufferAllocator allocator;
    private final Session session;
    private final ConcurrentMap<UUID, ReentrantLock> writeLocks = new ConcurrentHashMap<>();
    private volatile TenantWriteLog writeLog = TenantWriteLog.OFF;

    public LanceTenantCatalog(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        try {
            this.allocator = new RootAllocator(Long.MAX_VALUE);
            this.session = Session.builder().indexCacheSizeBytes(64L * 1024 * 1024)
                    .metadataCacheSizeBytes(32L * 1024 * 1024).build();
        } catch (Throwable t) {
            throw new IndexUnavailableException("Lance/Arrow could not be initialised for the catalog: " + t, t);
        }
    }

    static Schema schema(int dimensions) {
        Field item = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        return new Schema(List.of(
                new Field(DOCUMENT_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(VERSION, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(TITLE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(DOC_TYPE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(SOURCE_URL, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(SUMMARY, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(VECTOR, FieldType.notNullable(new ArrowType.FixedSizeList(dimensions)), List.of(item))));
    }

    /** The catalog of this index generation (its vectors are the generation's model's). */
    public Path datasetPath(IndexSpace space) {
        return space.directory(dataDir).resolve("catalog.lance");
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
        writing(space.tenant(), what, () -> {
            boolean exists = LanceScans.exists(path);
            if (exists) {
                String replaced = entries.stream().map(entry -> "(" + documentFilter(entry.documentId()) + " AND "
                        + VERSION + " = " + entry.version() + ")").collect(Collectors.joining(" OR "));
                try (Dataset dataset = open(path)) {
                    // a delete commits even when nothing matches; an entry is usually new
                    if (dataset.countRows(replaced) > 0) {
                        dataset.delete(replaced);
                    }
                }
            } else {
                Files.createDirectories(path.getParent());
            }
            try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(space.dimensions()), allocator)) {
                fill(root, space.dimensions(), entries);
                try (ArrowReader reader = new LanceScans.OneBatch(allocator, root);
                     Dataset ignored = Dataset.write().allocator(allocator).reader(reader).uri(path.toString())
                             .mode(exists ? WriteParams.WriteMode.APPEND : WriteParams.WriteMode.CREATE)
                             .session(session).execute()) {
                    // closed at once; index upkeep works on a fresh handle
                }
            }
            for (String column : TEXT_COLUMNS) {
                try (Dataset dataset = open(path)) {
                    LanceScans.keepFullTextIndexCovering(dataset, column);
                }
            }
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
        return search(space, k, filter, "search the catalog by keywords",
                predicate -> LanceScans.fullText(HIT_COLUMNS, TEXT_COLUMNS, query, k, predicate), false);
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            allocator.close();
        }
    }

    // --- internals ---

    private List<CatalogHit> search(IndexSpace space, int k, ChunkFilter filter, String what,
                                    java.util.function.Function<String, org.lance.ipc.ScanOptions> options,
                                    boolean byDistance) {
        Objects.requireNonNull(filter, "filter");
        if (k <= 0 || filter.matchesNothing()) {
            return List.of();
        }
        Path path = datasetPath(space);
        return guarded(space.tenant(), what, () -> {
            if (!LanceScans.exists(path)) {
                return List.<CatalogHit>of();
            }
            List<CatalogHit> hits = new ArrayList<>();
            try (Dataset dataset = open(path)) {
                LanceScans.scan(dataset, options.apply(filter.predicate()), root -> read(root, byDistance, hits));
            } catch (Exception e) {
                if (!byDistance && LanceScans.isQueryWithoutSearchableTerms(e)) {
                    return List.<CatalogHit>of();
                }
                throw e;
            }
            hits.sort(Comparator.comparingDouble(CatalogHit::score).reversed());
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        });
    }

    private void delete(IndexSpace space, String predicate, String what) {
        Path path = datasetPath(space);
        writing(space.tenant(), what, () -> {
            if (LanceScans.exists(path)) {
                try (Dataset dataset = open(path)) {
                    // a delete commits a new dataset version even when nothing matches, and most documents have
                    // one version: look first
                    if (dataset.countRows(predicate) > 0) {
                        dataset.delete(predicate);
                    }
                }
            }
            return null;
        });
    }

    private Dataset open(Path path) {
        return Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
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

    private static void fill(VectorSchemaRoot root, int dimensions, List<CatalogEntry> entries) {
        root.allocateNew();
        FixedSizeListVector vector = (FixedSizeListVector) root.getVector(VECTOR);
        Float4Vector items = (Float4Vector) vector.getDataVector();
        for (int row = 0; row < entries.size(); row++) {
            CatalogEntry entry = entries.get(row);
            ((VarCharVector) root.getVector(DOCUMENT_ID)).setSafe(row, utf8(entry.documentId().toString()));
            ((IntVector) root.getVector(VERSION)).setSafe(row, entry.version());
            text((VarCharVector) root.getVector(TITLE), row, entry.title());
            text((VarCharVector) root.getVector(DOC_TYPE), row, entry.docType());
            text((VarCharVector) root.getVector(SOURCE_URL), row, entry.sourceUrl());
            text((VarCharVector) root.getVector(SUMMARY), row, entry.summary());
            vector.setNotNull(row);
            for (int i = 0; i < dimensions; i++) {
                items.setSafe(row * dimensions + i, entry.vector()[i]);
            }
        }
        root.setRowCount(entries.size());
    }

    private static void text(VarCharVector vector, int row, String value) {
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, utf8(value));
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void read(VectorSchemaRoot root, boolean byDistance, List<CatalogHit> into) {
        FieldVector score = root.getVector(byDistance ? LanceScans.DISTANCE : LanceScans.SCORE);
        IntVector version = (IntVector) root.getVector(VERSION);
        for (int row = 0; row < root.getRowCount(); row++) {
            double value = ((Number) score.getObject(row)).doubleValue();
            into.add(new CatalogHit(string(root, DOCUMENT_ID, row), version.get(row), string(root, TITLE, row),
                    string(root, DOC_TYPE, row), string(root, SOURCE_URL, row), string(root, SUMMARY, row),
                    byDistance ? 1.0 - value : value));
        }
    }

    private static String string(VectorSchemaRoot root, String column, int row) {
        VarCharVector vector = (VarCharVector) root.getVector(column);
        return vector.isNull(row) ? null : new String(vector.get(row), StandardCharsets.UTF_8);
    }

    /** Records every write (begin and end) in {@code log}: see {@link TenantWriteLog}. */
    public void recordWritesIn(TenantWriteLog log) {
        this.writeLog = Objects.requireNonNull(log, "log");
    }

    @FunctionalInterface
    private interface LanceCall<T> {
        T call() throws Exception;
    }

    private <T> T writing(TenantId tenant, String what, LanceCall<T> call) {
        ReentrantLock lock = writeLocks.computeIfAbsent(tenant.value(), id -> new ReentrantLock());
        return guarded(tenant, what, () -> {
            lock.lock();
            try (TenantWriteLog.Span span = writeLog.begin(tenant, "catalog: " + what)) {
                return call.call();
            } finally {
                lock.unlock();
            }
        });
    }

    private static <T> T guarded(TenantId tenant, String what, LanceCall<T> call) {
        Objects.requireNonNull(tenant, "tenant");
        try {
            return call.call();
        } catch (IndexUnavailableException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IndexUnavailableException("Lance catalog of tenant " + tenant + ": could not " + what + ": "
                    + t, t);
        }
    }
}
