package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Session;
import org.lance.WriteParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The Lance datasets of every tenant and index generation ({@link TenantDataset}: {@code chunks.lance},
 * {@code versions.lance}, {@code catalog.lance}) and what they share: one Arrow allocator and one Lance
 * {@link Session}; one LRU of open handles that every read leases from ({@link TenantDatasetCache}); one write lock
 * per tenant in this JVM, so the chunk, history and catalog writes of a tenant and its maintenance passes never race
 * (Lance commits are optimistic); the write log and the write listener; and maintenance of all of a generation's
 * datasets in one pass under that lock. {@link LanceTenantChunkIndex} and {@link LanceTenantCatalog} are views on it
 * that know their schemas and queries.
 *
 * <p>Reads take no tenant lock: Lance versions are immutable, so a reader sees the state before or after a commit.
 * Writes and maintenance open their own handles. Every {@link Throwable} raised by Lance or Arrow is rethrown as
 * {@link IndexUnavailableException}.
 */
public class TenantDatasets implements MaintainedDatasets, AutoCloseable {

    /** Maintained after the chunks, in the same pass. */
    private static final List<TenantDataset> COMPANIONS = List.of(TenantDataset.VERSIONS, TenantDataset.CATALOG);

    private final Path dataDir;
    private final BufferAllocator allocator;
    private final Session session;
    private final TenantDatasetCache cache;
    private final IndexMaintenance maintenance;
    private final ConcurrentMap<UUID, ReentrantLock> tenantWriteLocks = new ConcurrentHashMap<>();
    private volatile Consumer<MaintainedDataset> writeListener = dataset -> { };
    private volatile TenantWriteLog writeLog = TenantWriteLog.OFF;
    /** Operations hold the read side; {@link #close()} takes the write side so it never frees memory in use. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** With the default settings ({@link LanceTenantChunkIndex.Settings#DEFAULTS}), no old version retained. */
    public TenantDatasets(Path dataDir) {
        this(dataDir, LanceTenantChunkIndex.Settings.DEFAULTS, RetainedVersions.LATEST_ONLY);
    }

    public TenantDatasets(Path dataDir, LanceTenantChunkIndex.Settings settings, RetainedVersions retainedVersions) {
        this(dataDir, settings, retainedVersions, SessionCaches.DEFAULTS);
    }

    public TenantDatasets(Path dataDir, LanceTenantChunkIndex.Settings settings, RetainedVersions retainedVersions,
                          SessionCaches sessionCaches) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(sessionCaches, "sessionCaches");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(retainedVersions, "retainedVersions");
        this.dataDir = dataDir.toAbsolutePath().normalize();
        try {
            this.allocator = new RootAllocator(Long.MAX_VALUE);
            this.session = Session.builder()
                    .indexCacheSizeBytes(sessionCaches.indexBytes())
                    .metadataCacheSizeBytes(sessionCaches.metadataBytes())
                    .build();
            this.cache = new TenantDatasetCache(allocator, session, settings.cacheSize(), settings.idleTtl(),
                    settings.refreshAfter());
            this.maintenance = new IndexMaintenance(allocator, session, settings.maintenance(), retainedVersions,
                    Clock.systemUTC());
        } catch (Throwable t) {
            throw new IndexUnavailableException("Lance/Arrow could not be initialised (is the JVM started with "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED?): " + describe(t), t);
        }
    }

    /** Where this dataset of the index generation lives (it may not exist yet). */
    public Path path(IndexSpace space, TenantDataset dataset) {
        Objects.requireNonNull(space, "space");
        return dataset.path(dataDir, space);
    }

    /**
     * Runs {@code read} on a lease of the latest committed version of the dataset (from the LRU of open datasets);
     * {@code whenAbsent} when nothing has been written there yet. The dataset must not be mutated.
     */
    public <T> T read(IndexSpace space, TenantDataset dataset, String what, TenantDatasetCache.LanceRead<T> read,
                      Supplier<T> whenAbsent) {
        Path path = path(space, dataset);
        return guarded(space.tenant(), what, () -> cache.read(path, read, whenAbsent));
    }

    /**
     * Runs {@code write} holding the tenant's write lock (in this JVM; the cluster-wide one is the caller's), recorded
     * in the write log; then drops the cached handles of the datasets it {@code touched} and tells the write listener.
     */
    <T> T write(IndexSpace space, String what, List<TenantDataset> touched, LanceCall<T> write) {
        Objects.requireNonNull(space, "space");
        ReentrantLock lock = lockOf(space.tenant());
        T result = guarded(space.tenant(), what, () -> {
            lock.lock();
            try (TenantWriteLog.Span span = writeLog.begin(space.tenant(), what)) {
                return write.call();
            } finally {
                lock.unlock();
                touched.forEach(dataset -> cache.invalidate(path(space, dataset))); // cached handles are behind now
            }
        });
        writeListener.accept(new MaintainedDataset(space.tenant(), space.generation(),
                path(space, TenantDataset.CHUNKS)));
        return result;
    }

    /** Appends the rows {@code fill} puts into a batch of {@code schema}; the first write creates the dataset. */
    void append(Path path, Schema schema, Consumer<VectorSchemaRoot> fill) throws IOException {
        boolean exists = exists(path);
        if (!exists) {
            Files.createDirectories(path.getParent());
        }
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            fill.accept(root);
            try (ArrowReader reader = new LanceScans.OneBatch(allocator, root);
                 Dataset ignored = Dataset.write()
                         .allocator(allocator)
                         .reader(reader)
                         .uri(path.toString())
                         .mode(exists ? WriteParams.WriteMode.APPEND : WriteParams.WriteMode.CREATE)
                         .session(session)
                         .execute()) {
                // the returned handle is closed at once; reads lease the latest version, index upkeep opens afresh
            }
        }
    }

    /** Deletes the rows matching {@code predicate} from the dataset at {@code path}, if it exists. */
    void deleteWhere(Path path, String predicate) throws IOException {
        if (exists(path)) {
            try (Dataset dataset = open(path)) {
                deleteWhere(dataset, predicate);
            }
        }
    }

    /**
     * A Lance delete commits a new dataset version even when nothing matches, and the usual delete (a version that
     * is new, a document with one version) matches nothing: look first (an indexed count on {@code document_id}).
     */
    static void deleteWhere(Dataset dataset, String predicate) {
        if (dataset.countRows(predicate) > 0) {
            dataset.delete(predicate);
        }
    }

    /**
     * Keeps the full-text indexes of the dataset's text columns covering its rows
     * ({@link LanceScans#keepFullTextIndexCovering}), each on a fresh handle: on the writer's returned handle, or one
     * a previous build used, a rebuild conflicted with that build.
     */
    void keepFullTextIndexesCovering(Path path, TenantDataset kind) {
        for (String column : kind.fullTextColumns()) {
            try (Dataset dataset = open(path)) {
                LanceScans.keepFullTextIndexCovering(dataset, column);
            }
        }
    }

    /** A handle of its own on the latest version (writes and maintenance; reads lease from the cache). */
    Dataset open(Path path) {
        return Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
    }

    /**
     * A dataset exists once a manifest has been committed under {@code _versions}: a reader never opens a dataset
     * whose first write is still in flight, even from another process.
     */
    static boolean exists(Path path) throws IOException {
        return TenantDatasetCache.isCommitted(path);
    }

    /** Refuses a dataset whose vectors are not the generation's model's size. */
    static void requireCompatible(IndexSpace space, Dataset dataset, Path path) {
        Field vector = dataset.getSchema().findField(LanceTenantChunkIndex.VECTOR);
        if (!(vector.getType() instanceof ArrowType.FixedSizeList list) || list.getListSize() != space.dimensions()) {
            throw new IndexUnavailableException("Lance dataset " + path + " stores vectors of type " + vector.getType()
                    + ", but its generation's model " + space.embeddingModel() + " has " + space.dimensions()
                    + " dimensions");
        }
    }

    /** Records every write and maintenance pass (begin and end) in {@code log}: see {@link TenantWriteLog}. */
    public void recordWritesIn(TenantWriteLog log) {
        this.writeLog = Objects.requireNonNull(log, "log");
    }

    /**
     * Called after every committed write to any dataset of a generation, with the generation (named by its
     * {@code chunks.lance}, as {@link #list()} names it): the maintenance job counts them. Replaces the previous one.
     */
    public void onWrite(Consumer<MaintainedDataset> listener) {
        this.writeListener = Objects.requireNonNull(listener, "listener");
    }

    /** The open-dataset LRU (sizes, for metrics and tests). */
    public TenantDatasetCache datasetCache() {
        return cache;
    }

    /**
     * Bytes held by the shared Lance session's index and metadata caches (each bounded, see the constants above):
     * native memory outside the Java heap that grows towards its bound as tenants are searched; 0 once closed.
     */
    public long sessionCacheBytes() {
        return whileOpen(session::sizeBytes);
    }

    /** Bytes the shared Arrow allocator has handed out and not yet got back (batches being written); 0 once closed. */
    public long arrowAllocatedBytes() {
        return whileOpen(allocator::getAllocatedMemory);
    }

    private long whileOpen(java.util.function.LongSupplier reading) {
        lifecycle.readLock().lock();
        try {
            return closed ? 0 : reading.getAsLong();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // --- maintenance: one index generation at a time, all its datasets in one pass ---

    /**
     * Every index generation with a committed {@code chunks.lance} (generation 0 and {@code generations/<n>} of each
     * tenant), named by that dataset's path: its {@code versions.lance} and {@code catalog.lance} are written with
     * its chunks and maintained in the same pass.
     */
    @Override
    public List<MaintainedDataset> list() {
        Path customers = dataDir.resolve("customers");
        if (!Files.isDirectory(customers)) {
            return List.of();
        }
        String chunks = TenantDataset.CHUNKS.fileName();
        List<MaintainedDataset> found = new ArrayList<>();
        try (Stream<Path> tenants = Files.list(customers)) {
            for (Path tenantDir : tenants.toList()) {
                TenantId tenant = tenantId(tenantDir);
                if (tenant == null) {
                    continue;
                }
                addIfCommitted(found, tenant, 0, tenantDir.resolve(chunks));
                Path generations = tenantDir.resolve("generations");
                if (Files.isDirectory(generations)) {
                    try (Stream<Path> dirs = Files.list(generations)) {
                        for (Path generationDir : dirs.toList()) {
                            String name = generationDir.getFileName().toString();
                            if (name.matches("[0-9]{1,18}")) {
                                addIfCommitted(found, tenant, Long.parseLong(name), generationDir.resolve(chunks));
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

    /** The latest version of each of the generation's datasets, by file name (direct opens: 0.2 ms each). */
    @Override
    public Map<String, Long> latestVersions(MaintainedDataset generation) {
        // direct opens, not leases: a sweep over every tenant must not churn the query LRU
        return guarded(generation.tenant(), "read the latest versions", () -> {
            Map<String, Long> versions = new TreeMap<>();
            for (TenantDataset each : TenantDataset.values()) {
                Path path = each.besides(generation.path());
                if (exists(path)) {
                    try (Dataset opened = open(path)) {
                        versions.put(each.fileName(), opened.latestVersion());
                    }
                }
            }
            return versions;
        });
    }

    /**
     * One maintenance pass over the generation under the tenant's write lock: its {@code chunks.lance}, then its
     * {@code versions.lance} and {@code catalog.lance} (the outcome's companions) with the same settings and the
     * same retention. Null when the generation has no chunk dataset (any more).
     */
    @Override
    public IndexMaintenance.Outcome maintain(MaintainedDataset generation) {
        if (TenantDataset.at(generation.path()) != TenantDataset.CHUNKS) {
            throw new IllegalArgumentException("a generation is maintained by its chunks.lance, not "
                    + generation.path());
        }
        TenantId tenant = generation.tenant();
        ReentrantLock lock = lockOf(tenant);
        return guarded(tenant, "maintain its index", () -> {
            lock.lock();
            try (TenantWriteLog.Span span = writeLog.begin(tenant, "maintain")) {
                if (!exists(generation.path())) {
                    return null;
                }
                IndexMaintenance.Outcome chunks = maintenance.maintain(generation);
                List<IndexMaintenance.Outcome> companions = new ArrayList<>();
                for (TenantDataset companion : COMPANIONS) {
                    Path path = companion.besides(generation.path());
                    if (exists(path)) {
                        companions.add(maintenance.maintain(
                                new MaintainedDataset(tenant, generation.generation(), path)));
                    }
                }
                return chunks.withCompanions(companions);
            } finally {
                lock.unlock();
                for (TenantDataset each : TenantDataset.values()) {
                    cache.invalidate(each.besides(generation.path()));
                }
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
                cache.close();
                session.close();
            } finally {
                allocator.close();
            }
        } catch (Throwable t) {
            throw new IndexUnavailableException("Closing the tenant Lance datasets failed: " + describe(t), t);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // --- concurrency and error translation ---

    /** A Lance call that may throw anything; {@link #guarded} translates it. */
    @FunctionalInterface
    interface LanceCall<T> {
        T call() throws Exception;
    }

    private ReentrantLock lockOf(TenantId tenant) {
        return tenantWriteLocks.computeIfAbsent(tenant.value(), id -> new ReentrantLock());
    }

    /** Runs {@code call} while open, rethrowing any failure as {@link IndexUnavailableException}. */
    <T> T guarded(TenantId tenant, String what, LanceCall<T> call) {
        Objects.requireNonNull(tenant, "tenant");
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IndexUnavailableException("The tenant Lance datasets are closed; cannot " + what);
            }
            return call.call();
        } catch (IndexUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IndexUnavailableException(
                    "Lance datasets of tenant " + tenant + ": could not " + what + ": " + describe(t), t);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The throwable and, when different, its root cause (e.g. the Arrow message behind an initializer error). */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + " caused by " + root;
    }

    /**
     * The bounds of the Lance session's caches, shared by every dataset of this process: opened index files (vector,
     * full-text, scalar) and dataset metadata (manifests, fragment metadata). Native memory beside the heap, which
     * fills up to about these bounds under steady writes (superseded index versions stay until evicted): size the
     * process for heap plus both.
     */
    public record SessionCaches(long indexBytes, long metadataBytes) {

        /**
         * A small metadata cache on purpose: Lance 7.0.0 weighs every full-text index it puts in the index cache as
         * its own size plus the whole metadata cache (its index store counts the shared cache; lance-format/lance
         * PR 7574, merged upstream, is not in 7.0.0, the latest release), computed by walking every entry of that
         * cache. With 128 MB, the metadata cache kept filling with the manifests and fragment metadata of new dataset
         * versions, each full-text index open cost more, and the soak drill's latency climbed to a collapse in 17
         * minutes (60% of the CPU in that walk). 16 MB bounds the walk and the inflated weight (ARCHITECTURE.md,
         * "Lance session caches").
         */
        public static final SessionCaches DEFAULTS = new SessionCaches(512L * 1024 * 1024, 16L * 1024 * 1024);

        public SessionCaches {
            if (indexBytes < 0 || metadataBytes < 0) {
                throw new IllegalArgumentException("rag.index.session-index-cache and session-metadata-cache must not "
                        + "be negative: " + indexBytes + ", " + metadataBytes);
            }
        }
    }
}
