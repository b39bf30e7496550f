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
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Session;
import org.lance.WriteParams;
import org.lance.index.DistanceType;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.io.IOException;
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
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * {@link TenantChunkIndex} on one Lance dataset per tenant and index generation, at
 * {@code <generation directory>/chunks.lance} (see {@link IndexSpace#directory(Path)}); the vector size of each
 * dataset is its generation's model's.
 *
 * <p>Only Lance's synchronous APIs are used (the async scanner cannot load classes inside the Spring Boot fat jar).
 * Datasets are opened per operation and closed right after it, so a read always sees the latest committed version;
 * one shared Lance {@link Session} keeps the metadata and index caches across those opens. Writes to one tenant are
 * serialised by a per-tenant lock (in this JVM); different tenants write in parallel. Reads take no tenant lock: Lance
 * versions are immutable, so a reader sees either the state before or after a commit.
 *
 * <p>Every {@link Throwable} raised by Lance or Arrow is rethrown as {@link IndexUnavailableException}.
 */
public class LanceTenantChunkIndex implements TenantChunkIndex, AutoCloseable {

    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String CHUNK_INDEX = "chunk_index";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    private static final String DISTANCE = "_distance";

    private static final List<String> HIT_COLUMNS = List.of(DOCUMENT_ID, VERSION, CHUNK_INDEX, TITLE, TEXT);
    private static final long INDEX_CACHE_BYTES = 512L * 1024 * 1024;
    private static final long METADATA_CACHE_BYTES = 128L * 1024 * 1024;

    private final Path dataDir;
    private final BufferAllocator allocator;
    private final Session session;
    private final ConcurrentMap<UUID, ReentrantLock> tenantWriteLocks = new ConcurrentHashMap<>();
    /** Operations hold the read side; {@link #close()} takes the write side so it never frees memory in use. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    public LanceTenantChunkIndex(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        this.dataDir = dataDir.toAbsolutePath().normalize();
        try {
            this.allocator = new RootAllocator(Long.MAX_VALUE);
            this.session = Session.builder()
                    .indexCacheSizeBytes(INDEX_CACHE_BYTES)
                    .metadataCacheSizeBytes(METADATA_CACHE_BYTES)
                    .build();
        } catch (Throwable t) {
            throw new IndexUnavailableException("Lance/Arrow could not be initialised (is the JVM started with "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED?): " + describe(t), t);
        }
    }

    /** The Arrow schema of a chunk dataset with vectors of the given dimension. */
    static Schema chunkSchema(int dimensions) {
        Field item = new Field("item",
                FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        Field vector = new Field(VECTOR,
                FieldType.notNullable(new ArrowType.FixedSizeList(dimensions)), List.of(item));
        return new Schema(List.of(
                new Field(CHUNK_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(DOCUMENT_ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field(VERSION, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(CHUNK_INDEX, FieldType.notNullable(new ArrowType.Int(32, true)), null),
                new Field(TITLE, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field(TEXT, FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                vector));
    }

    /** Where the chunk dataset of this index generation lives (it may not exist yet). */
    public Path datasetPath(IndexSpace space) {
        Objects.requireNonNull(space, "space");
        return space.directory(dataDir).resolve("chunks.lance");
    }

    @Override
    public void replaceVersion(IndexSpace space, DocumentId document, int version, List<IndexedChunk> chunks) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(chunks, "chunks");
        Path path = datasetPath(space);
        for (IndexedChunk chunk : chunks) {
            Objects.requireNonNull(chunk, "chunk");
            requireDimensions(space, chunk.vector(), "chunk " + chunk.chunkIndex());
        }
        withTenantWriteLock(space, "replace version " + version + " of document " + document, () -> {
            if (exists(path)) {
                try (Dataset dataset = open(path)) {
                    requireCompatible(space, dataset, path);
                    dataset.delete(versionFilter(document, version));
                }
                if (!chunks.isEmpty()) {
                    write(space, path, document, version, chunks, WriteParams.WriteMode.APPEND);
                }
            } else if (!chunks.isEmpty()) {
                Files.createDirectories(path.getParent());
                write(space, path, document, version, chunks, WriteParams.WriteMode.CREATE);
            }
            return null;
        });
    }

    @Override
    public void deleteDocument(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        withTenantWriteLock(space, "delete document " + document, () -> {
            if (exists(path)) {
                try (Dataset dataset = open(path)) {
                    dataset.delete(documentFilter(document));
                }
            }
            return null;
        });
    }

    @Override
    public void deleteOtherVersions(IndexSpace space, DocumentId document, int keepVersion) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        withTenantWriteLock(space, "delete superseded versions of " + document, () -> {
            if (exists(path)) {
                try (Dataset dataset = open(path)) {
                    // the filter is built from a UUID and an int only
                    dataset.delete(documentFilter(document) + " AND version <> " + keepVersion);
                }
            }
            return null;
        });
    }

    @Override
    public List<ChunkHit> nearest(IndexSpace space, float[] queryVector, int k) {
        requireDimensions(space, queryVector, "query vector");
        Path path = datasetPath(space);
        if (k <= 0) {
            return List.of();
        }
        return guarded(space, "search the " + k + " nearest chunks", () -> {
            if (!exists(path)) {
                return List.of();
            }
            List<ChunkHit> hits = new ArrayList<>(k);
            try (Dataset dataset = open(path)) {
                requireCompatible(space, dataset, path);
                ScanOptions options = new ScanOptions.Builder()
                        .columns(HIT_COLUMNS)
                        .nearest(new Query.Builder()
                                .setColumn(VECTOR)
                                .setKey(queryVector)
                                .setK(k)
                                .setDistanceType(DistanceType.Cosine)
                                .build())
                        .build();
                try (LanceScanner scanner = dataset.newScan(options);
                     ArrowReader reader = scanner.scanBatches()) {
                    while (reader.loadNextBatch()) {
                        readHits(reader.getVectorSchemaRoot(), hits);
                    }
                }
            }
            hits.sort(Comparator.comparingDouble(ChunkHit::score).reversed());
            return List.copyOf(hits);
        });
    }

    @Override
    public long countChunks(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        return guarded(space, "count the chunks of document " + document, () -> {
            if (!exists(path)) {
                return 0L;
            }
            try (Dataset dataset = open(path)) {
                return dataset.countRows(documentFilter(document));
            }
        });
    }

    /** Frees the Lance session and the Arrow allocator; waits for running operations. Later calls fail. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } finally {
                allocator.close();
            }
        } catch (Throwable t) {
            throw new IndexUnavailableException("Closing the Lance chunk index failed: " + describe(t), t);
        } finally {
            lifecycle.writeLock().unlock();
        }
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

    // --- Lance access ---

    /**
     * A dataset exists once a manifest has been committed under {@code _versions}. Checking the manifest (not just the
     * directory) keeps a reader from opening a dataset whose first write is still in flight, even from another process.
     */
    private static boolean exists(Path path) throws IOException {
        Path versions = path.resolve("_versions");
        if (!Files.isDirectory(versions)) {
            return false;
        }
        try (Stream<Path> files = Files.list(versions)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".manifest"));
        }
    }

    private Dataset open(Path path) {
        return Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
    }

    private static void requireCompatible(IndexSpace space, Dataset dataset, Path path) {
        Field vector = dataset.getSchema().findField(VECTOR);
        if (!(vector.getType() instanceof ArrowType.FixedSizeList list) || list.getListSize() != space.dimensions()) {
            throw new IndexUnavailableException("Lance dataset " + path + " stores vectors of type " + vector.getType()
                    + ", but its generation's model " + space.embeddingModel() + " has " + space.dimensions()
                    + " dimensions");
        }
    }

    private void write(IndexSpace space, Path path, DocumentId document, int version, List<IndexedChunk> chunks,
                       WriteParams.WriteMode mode) throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(chunkSchema(space.dimensions()), allocator)) {
            fill(root, space.dimensions(), document, version, chunks);
            try (ArrowReader reader = new SingleBatchReader(allocator, root);
                 Dataset ignored = Dataset.write()
                         .allocator(allocator)
                         .reader(reader)
                         .uri(path.toString())
                         .mode(mode)
                         .session(session)
                         .execute()) {
                // the returned dataset handle is closed at once; reads re-open the latest version
            }
        }
    }

    private static void fill(VectorSchemaRoot root, int dimensions, DocumentId document, int version,
                             List<IndexedChunk> chunks) {
        root.allocateNew();
        VarCharVector chunkId = (VarCharVector) root.getVector(CHUNK_ID);
        VarCharVector documentId = (VarCharVector) root.getVector(DOCUMENT_ID);
        IntVector versions = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        VarCharVector title = (VarCharVector) root.getVector(TITLE);
        VarCharVector text = (VarCharVector) root.getVector(TEXT);
        FixedSizeListVector vector = (FixedSizeListVector) root.getVector(VECTOR);
        Float4Vector items = (Float4Vector) vector.getDataVector();
        byte[] documentBytes = utf8(document.toString());
        for (int row = 0; row < chunks.size(); row++) {
            IndexedChunk chunk = chunks.get(row);
            chunkId.setSafe(row, utf8(document + ":" + version + ":" + chunk.chunkIndex()));
            documentId.setSafe(row, documentBytes);
            versions.setSafe(row, version);
            chunkIndex.setSafe(row, chunk.chunkIndex());
            setNullableText(title, row, chunk.title());
            setNullableText(text, row, chunk.text());
            vector.setNotNull(row);
            float[] values = chunk.vector();
            for (int i = 0; i < dimensions; i++) {
                items.setSafe(row * dimensions + i, values[i]);
            }
        }
        root.setRowCount(chunks.size());
    }

    private static void setNullableText(VarCharVector vector, int row, String value) {
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, utf8(value));
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void readHits(VectorSchemaRoot root, List<ChunkHit> into) {
        VarCharVector documentId = (VarCharVector) root.getVector(DOCUMENT_ID);
        IntVector version = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        VarCharVector title = (VarCharVector) root.getVector(TITLE);
        VarCharVector text = (VarCharVector) root.getVector(TEXT);
        FieldVector distanceVector = root.getVector(DISTANCE);
        if (distanceVector == null) {
            throw new IllegalStateException("Lance kNN result has no " + DISTANCE + " column: " + root.getSchema());
        }
        for (int row = 0; row < root.getRowCount(); row++) {
            double distance = ((Number) distanceVector.getObject(row)).doubleValue();
            into.add(new ChunkHit(
                    string(documentId, row),
                    version.get(row),
                    chunkIndex.get(row),
                    string(title, row),
                    string(text, row),
                    1.0 - distance));
        }
    }

    private static String string(VarCharVector vector, int row) {
        return vector.isNull(row) ? null : new String(vector.get(row), StandardCharsets.UTF_8);
    }

    private static void requireDimensions(IndexSpace space, float[] vector, String what) {
        Objects.requireNonNull(vector, what);
        if (vector.length != space.dimensions()) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions, generation "
                    + space.generation() + " (" + space.embeddingModel() + ") expects " + space.dimensions());
        }
    }

    // --- concurrency and error translation ---

    @FunctionalInterface
    private interface LanceCall<T> {
        T call() throws Exception;
    }

    private <T> T withTenantWriteLock(IndexSpace space, String what, LanceCall<T> call) {
        ReentrantLock lock = tenantWriteLocks.computeIfAbsent(space.tenant().value(), id -> new ReentrantLock());
        return guarded(space, what, () -> {
            lock.lock();
            try {
                return call.call();
            } finally {
                lock.unlock();
            }
        });
    }

    private <T> T guarded(IndexSpace space, String what, LanceCall<T> call) {
        Objects.requireNonNull(space, "space");
        TenantId tenant = space.tenant();
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IndexUnavailableException("The Lance chunk index is closed; cannot " + what);
            }
            return call.call();
        } catch (IndexUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IndexUnavailableException(
                    "Lance chunk index of tenant " + tenant + ": could not " + what + ": " + describe(t), t);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The throwable and, when different, its root cause (e.g. the Arrow message behind an initializer error). */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + " caused by " + root;
    }

    /** Hands one already-filled batch to Lance's writer as an {@link ArrowReader}. */
    private static final class SingleBatchReader extends ArrowReader {
        private final VectorSchemaRoot source;
        private boolean consumed;

        SingleBatchReader(BufferAllocator allocator, VectorSchemaRoot source) {
            super(allocator);
            this.source = source;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            prepareLoadNextBatch();
            if (consumed) {
                return false;
            }
            consumed = true;
            try (ArrowRecordBatch batch = new VectorUnloader(source).getRecordBatch()) {
                loadRecordBatch(batch);
            }
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
            // the source root is owned and closed by the caller
        }

        @Override
        protected Schema readSchema() {
            return source.getSchema();
        }
    }
}
