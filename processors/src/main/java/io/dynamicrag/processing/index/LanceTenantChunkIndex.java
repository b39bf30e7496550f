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
import org.lance.ipc.ScanOptions;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link TenantChunkIndex} on one Lance dataset per tenant and index generation, at
 * {@code <generation directory>/chunks.lance} (see {@link IndexSpace#directory(Path)}), plus its history beside it in
 * {@code versions.lance} (every indexed version, for {@code as_of_version}); the vector size of each dataset is its
 * generation's model's. Keyword search runs Lance's BM25 full-text query on {@code text}, with or without an
 * inverted index.
 *
 * <p>Only Lance's synchronous APIs are used (the async scanner cannot load classes inside the Spring Boot fat jar).
 * Reads lease an open handle of the latest committed version from the {@link TenantDatasetCache} (a bounded LRU with
 * an idle TTL; eviction never closes a handle a query still uses); writes and maintenance open their own handle. One
 * shared Lance {@link Session} keeps the metadata and index caches for all of them. Writes to one tenant are
 * serialised by a per-tenant lock (in this JVM); different tenants write in parallel. Reads take no tenant lock: Lance
 * versions are immutable, so a reader sees either the state before or after a commit.
 *
 * <p>Every {@link Throwable} raised by Lance or Arrow is rethrown as {@link IndexUnavailableException}.
 */
public class LanceTenantChunkIndex implements TenantChunkIndex, MaintainedDatasets, AutoCloseable {

    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String VERSION = "version";
    static final String CHUNK_INDEX = "chunk_index";
    static final String TITLE = "title";
    static final String TEXT = "text";
    static final String VECTOR = "vector";

    private static final List<String> HIT_COLUMNS = List.of(DOCUMENT_ID, VERSION, CHUNK_INDEX, TITLE, TEXT);
    private static final long INDEX_CACHE_BYTES = 512L * 1024 * 1024;
    private static final long METADATA_CACHE_BYTES = 128L * 1024 * 1024;

    private final Path dataDir;
    private final BufferAllocator allocator;
    private final Session session;
    private final TenantDatasetCache datasets;
    private final IndexMaintenance maintenance;
    private volatile Consumer<MaintainedDataset> writeListener = dataset -> { };
    private volatile TenantWriteLog writeLog = TenantWriteLog.OFF;
    private final ConcurrentMap<UUID, ReentrantLock> tenantWriteLocks = new ConcurrentHashMap<>();
    /** Operations hold the read side; {@link #close()} takes the write side so it never frees memory in use. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** With the default settings ({@link Settings#DEFAULTS}) and no old version retained beyond the retention. */
    public LanceTenantChunkIndex(Path dataDir) {
        this(dataDir, Settings.DEFAULTS, RetainedVersions.LATEST_ONLY);
    }

    public LanceTenantChunkIndex(Path dataDir, Settings settings, RetainedVersions retainedVersions) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(retainedVersions, "retainedVersions");
        this.dataDir = dataDir.toAbsolutePath().normalize();
        try {
            this.allocator = new RootAllocator(Long.MAX_VALUE);
            this.session = Session.builder()
                    .indexCacheSizeBytes(INDEX_CACHE_BYTES)
                    .metadataCacheSizeBytes(METADATA_CACHE_BYTES)
                    .build();
            this.datasets = new TenantDatasetCache(allocator, session, settings.cacheSize(), settings.idleTtl(),
                    settings.refreshAfter());
            this.maintenance = new IndexMaintenance(allocator, session, settings.maintenance(), retainedVersions,
                    Clock.systemUTC());
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

    /**
     * Where the history of this index generation lives: the chunks of every indexed version (superseded ones
     * included) of every document not deleted, for {@code as_of_version} searches.
     */
    public Path versionsPath(IndexSpace space) {
        Objects.requireNonNull(space, "space");
        return space.directory(dataDir).resolve("versions.lance");
    }

    private Path pathOf(IndexSpace space, ChunkSet set) {
        return set == ChunkSet.LATEST ? datasetPath(space) : versionsPath(space);
    }

    @Override
    public void replaceVersions(IndexSpace space, List<VersionChunks> versions) {
        Objects.requireNonNull(versions, "versions");
        if (versions.isEmpty()) {
            return;
        }
        Path path = datasetPath(space);
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
        withTenantWriteLock(space, what, () -> {
            // history first: once the latest dataset serves the version, as_of_version can find it too
            replaceRows(space, versionsPath(space), versions);
            replaceRows(space, path, versions);
            return null;
        });
    }

    private void replaceRows(IndexSpace space, Path path, List<VersionChunks> versions) throws IOException {
        boolean anyRows = versions.stream().anyMatch(each -> !each.chunks().isEmpty());
        if (exists(path)) {
            try (Dataset dataset = open(path)) {
                requireCompatible(space, dataset, path);
                String replaced = versions.stream().map(each -> "(" + versionFilter(each.document(), each.version())
                        + ")").collect(Collectors.joining(" OR "));
                // a delete commits a new dataset version even when nothing matches, and a version is usually new
                if (dataset.countRows(replaced) > 0) {
                    dataset.delete(replaced);
                }
            }
            if (anyRows) {
                write(space, path, versions, WriteParams.WriteMode.APPEND);
            }
        } else if (anyRows) {
            Files.createDirectories(path.getParent());
            write(space, path, versions, WriteParams.WriteMode.CREATE);
        }
        if (anyRows) {
            // a fresh handle: the writer's returned handle made index rebuilds conflict with the previous build
            try (Dataset dataset = open(path)) {
                LanceScans.keepFullTextIndexCovering(dataset, TEXT);
            }
        }
    }

    @Override
    public void deleteDocument(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        withTenantWriteLock(space, "delete document " + document, () -> {
            for (Path each : List.of(path, versionsPath(space))) {
                if (exists(each)) {
                    try (Dataset dataset = open(each)) {
                        dataset.delete(documentFilter(document));
                    }
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
                    String superseded = documentFilter(document) + " AND version <> " + keepVersion;
                    // a delete commits a new dataset version even when nothing matches; most documents have one
                    // version, so look first (an indexed lookup on document_id)
                    if (dataset.countRows(superseded) > 0) {
                        dataset.delete(superseded);
                    }
                }
            }
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
        Path path = pathOf(space, Objects.requireNonNull(set, "set"));
        if (k <= 0 || filter.matchesNothing()) {
            return List.of();
        }
        // read through the dataset cache: an open handle is leased, refreshed to the latest version if needed
        return guarded(space, what, () -> datasets.read(path, dataset -> {
            requireCompatible(space, dataset, path);
            List<ChunkHit> hits = new ArrayList<>();
            try {
                LanceScans.scan(dataset, options.apply(filter.predicate()), root -> readHits(root, byDistance, hits));
            } catch (Exception e) {
                if (!byDistance && LanceScans.isQueryWithoutSearchableTerms(e)) {
                    return List.<ChunkHit>of();
                }
                throw e;
            }
            hits.sort(Comparator.comparingDouble(ChunkHit::score).reversed());
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        }, List::of));
    }

    @Override
    public long countChunks(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        return guarded(space, "count the chunks of document " + document,
                () -> datasets.read(path, dataset -> dataset.countRows(documentFilter(document)), () -> 0L));
    }

    /**
     * The chunk indexes stored for the document, one entry per row, in no particular order: a chunk stored twice
     * shows up twice (drills and tests check that a crash and a takeover left each chunk exactly once).
     */
    public List<Integer> chunkIndexes(IndexSpace space, DocumentId document) {
        Objects.requireNonNull(document, "document");
        Path path = datasetPath(space);
        return guarded(space, "list the chunks of document " + document, () -> datasets.read(path, dataset -> {
            List<Integer> indexes = new ArrayList<>();
            LanceScans.scan(dataset, new ScanOptions.Builder().columns(List.of(CHUNK_INDEX))
                    .filter(documentFilter(document)).build(), root -> {
                        IntVector column = (IntVector) root.getVector(CHUNK_INDEX);
                        for (int row = 0; row < root.getRowCount(); row++) {
                            indexes.add(column.get(row));
                        }
                    });
            return indexes;
        }, List::of));
    }

    /**
     * Runs {@code read} on a lease of the latest committed version of the generation's chunk dataset (from the LRU of
     * open datasets); {@code whenAbsent} when nothing has been indexed there yet. The dataset must not be mutated.
     */
    public <T> T read(IndexSpace space, String what, TenantDatasetCache.LanceRead<T> read, Supplier<T> whenAbsent) {
        Path path = datasetPath(space);
        return guarded(space, what, () -> datasets.read(path, read, whenAbsent));
    }

    /** Records every write (begin and end) in {@code log}: see {@link TenantWriteLog}. */
    public void recordWritesIn(TenantWriteLog log) {
        this.writeLog = Objects.requireNonNull(log, "log");
    }

    /** Called after every committed write (the maintenance job counts them); replaces the previous listener. */
    public void onWrite(Consumer<MaintainedDataset> listener) {
        this.writeListener = Objects.requireNonNull(listener, "listener");
    }

    /** The open-dataset LRU (sizes, for metrics and tests). */
    public TenantDatasetCache datasetCache() {
        return datasets;
    }

    /** Every committed chunk dataset under the data directory: generation 0 and {@code generations/<n>} of each tenant. */
    @Override
    public List<MaintainedDataset> list() {
        Path customers = dataDir.resolve("customers");
        if (!Files.isDirectory(customers)) {
            return List.of();
        }
        List<MaintainedDataset> found = new ArrayList<>();
        try (Stream<Path> tenants = Files.list(customers)) {
            for (Path tenantDir : tenants.toList()) {
                TenantId tenant = tenantId(tenantDir);
                if (tenant == null) {
                    continue;
                }
                addIfCommitted(found, tenant, 0, tenantDir.resolve("chunks.lance"));
                Path generations = tenantDir.resolve("generations");
                if (Files.isDirectory(generations)) {
                    try (Stream<Path> dirs = Files.list(generations)) {
                        for (Path generationDir : dirs.toList()) {
                            String name = generationDir.getFileName().toString();
                            if (name.matches("[0-9]{1,18}")) {
                                addIfCommitted(found, tenant, Long.parseLong(name),
                                        generationDir.resolve("chunks.lance"));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IndexUnavailableException("Could not list the tenant datasets under " + customers + ": " + e, e);
        }
        return found;
    }

    @Override
    public long latestVersion(MaintainedDataset dataset) {
        // a direct open (0.2 ms with the warm session): a sweep over every tenant must not churn the query LRU
        return guardedFor(dataset.tenant(), "read the latest version", () -> {
            try (Dataset opened = open(dataset.path())) {
                return opened.latestVersion();
            }
        });
    }

    /** One maintenance pass under the tenant's write lock; null when the dataset does not exist. */
    @Override
    public IndexMaintenance.Outcome maintain(MaintainedDataset dataset) {
        ReentrantLock lock = tenantWriteLocks.computeIfAbsent(dataset.tenant().value(), id -> new ReentrantLock());
        return guardedFor(dataset.tenant(), "maintain its index", () -> {
            lock.lock();
            try (TenantWriteLog.Span span = writeLog.begin(dataset.tenant(), "maintain")) {
                if (!exists(dataset.path())) {
                    return null;
                }
                return maintenance.maintain(dataset);
            } finally {
                lock.unlock();
                datasets.invalidate(dataset.path());
            }
        });
    }

    private static void addIfCommitted(List<MaintainedDataset> into, TenantId tenant, long generation, Path path)
            throws IOException {
        if (exists(path)) {
            into.add(new MaintainedDataset(tenant, generation, path));
        }
    }

    private static TenantId tenantId(Path tenantDir) {
        try {
            return TenantId.of(tenantDir.getFileName().toString());
        } catch (IllegalArgumentException e) {
            return null; // not a tenant directory
        }
    }

    /** Frees the open datasets, the Lance session and the Arrow allocator; waits for running operations. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                datasets.close();
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
        return TenantDatasetCache.isCommitted(path);
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

    private void write(IndexSpace space, Path path, List<VersionChunks> versions, WriteParams.WriteMode mode)
            throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(chunkSchema(space.dimensions()), allocator)) {
            fill(root, space.dimensions(), versions);
            try (ArrowReader reader = new LanceScans.OneBatch(allocator, root);
                 Dataset ignored = Dataset.write()
                         .allocator(allocator)
                         .reader(reader)
                         .uri(path.toString())
                         .mode(mode)
                         .session(session)
                         .execute()) {
                // the returned handle is closed at once; reads re-open the latest version
            }
        }
    }

    private static void fill(VectorSchemaRoot root, int dimensions, List<VersionChunks> versions) {
        root.allocateNew();
        VarCharVector chunkId = (VarCharVector) root.getVector(CHUNK_ID);
        VarCharVector documentId = (VarCharVector) root.getVector(DOCUMENT_ID);
        IntVector versionColumn = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        VarCharVector title = (VarCharVector) root.getVector(TITLE);
        VarCharVector text = (VarCharVector) root.getVector(TEXT);
        FixedSizeListVector vector = (FixedSizeListVector) root.getVector(VECTOR);
        Float4Vector items = (Float4Vector) vector.getDataVector();
        int row = 0;
        for (VersionChunks each : versions) {
            byte[] documentBytes = utf8(each.document().toString());
            for (IndexedChunk chunk : each.chunks()) {
                chunkId.setSafe(row, utf8(each.document() + ":" + each.version() + ":" + chunk.chunkIndex()));
                documentId.setSafe(row, documentBytes);
                versionColumn.setSafe(row, each.version());
                chunkIndex.setSafe(row, chunk.chunkIndex());
                setNullableText(title, row, chunk.title());
                setNullableText(text, row, chunk.text());
                vector.setNotNull(row);
                float[] values = chunk.vector();
                for (int i = 0; i < dimensions; i++) {
                    items.setSafe(row * dimensions + i, values[i]);
                }
                row++;
            }
        }
        root.setRowCount(row);
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

    /** Reads result rows; the score is the cosine similarity (from {@code _distance}) or BM25 ({@code _score}). */
    private static void readHits(VectorSchemaRoot root, boolean byDistance, List<ChunkHit> into) {
        VarCharVector documentId = (VarCharVector) root.getVector(DOCUMENT_ID);
        IntVector version = (IntVector) root.getVector(VERSION);
        IntVector chunkIndex = (IntVector) root.getVector(CHUNK_INDEX);
        VarCharVector title = (VarCharVector) root.getVector(TITLE);
        VarCharVector text = (VarCharVector) root.getVector(TEXT);
        String scoreColumn = byDistance ? LanceScans.DISTANCE : LanceScans.SCORE;
        FieldVector scoreVector = root.getVector(scoreColumn);
        if (scoreVector == null) {
            throw new IllegalStateException("Lance search result has no " + scoreColumn + " column: "
                    + root.getSchema());
        }
        for (int row = 0; row < root.getRowCount(); row++) {
            double value = ((Number) scoreVector.getObject(row)).doubleValue();
            into.add(new ChunkHit(
                    string(documentId, row),
                    version.get(row),
                    chunkIndex.get(row),
                    string(title, row),
                    string(text, row),
                    byDistance ? 1.0 - value : value));
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
        Path path = datasetPath(space);
        T result = guarded(space, what, () -> {
            lock.lock();
            try (TenantWriteLog.Span span = writeLog.begin(space.tenant(), what)) {
                return call.call();
            } finally {
                lock.unlock();
                datasets.invalidate(path); // the cached handle (if any) is behind now
            }
        });
        writeListener.accept(new MaintainedDataset(space.tenant(), space.generation(), path));
        return result;
    }

    private <T> T guarded(IndexSpace space, String what, LanceCall<T> call) {
        Objects.requireNonNull(space, "space");
        return guardedFor(space.tenant(), what, call);
    }

    private <T> T guardedFor(TenantId tenant, String what, LanceCall<T> call) {
        Objects.requireNonNull(tenant, "tenant");
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
