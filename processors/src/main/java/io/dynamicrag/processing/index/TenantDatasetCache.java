package io.dynamicrag.processing.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.Dataset;
import org.lance.Session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Open Lance dataset handles of tenants, at most {@code maximumSize} of them, each closed after {@code idleTtl}
 * without use (the seed's "Multi-Tenant LanceDB Manager": 100 handles, 30 minutes).
 *
 * <p>A handle pins one dataset version, so every {@link #lease lease} first asks Lance for the latest committed
 * version (a directory listing, ~0.02 ms locally; at most every {@code refreshAfter}) and swaps in a new handle when
 * another writer, in this process or another one, has committed since. Readers therefore always see the latest
 * version, exactly as when datasets were opened per operation.
 *
 * <p>Eviction never breaks a query in flight: every entry is reference counted (the cache holds one reference, each
 * lease another) and the handle is closed only when the last reference goes, so an entry evicted while a query
 * scans it stays open until that query releases it. The thread that inserts an entry runs the evictions it calls for
 * before using it (Caffeine's policy is W-TinyLFU, an LRU refined by use frequency), so the open handles are at most
 * {@code maximumSize} plus one per querying thread (its fresh insert not yet balanced by an eviction, or an entry
 * evicted while it still leases it).
 *
 * <p>All handles share one Lance {@link Session}: its metadata and index caches are bounded in bytes and outlive
 * the handles, so an evicted tenant's next query re-opens cheaply.
 */
public final class TenantDatasetCache implements AutoCloseable {

    /** A stale handle is swapped at most this many times per lease; then the lease keeps a consistent snapshot. */
    private static final int MAX_REFRESHES_PER_LEASE = 3;

    private final BufferAllocator allocator;
    private final Session session;
    private final long refreshAfterNanos;
    private final Ticker ticker;
    private final Cache<Path, CachedDataset> cache;
    private final AtomicInteger openHandles = new AtomicInteger();
    private final AtomicLong opens = new AtomicLong();
    private volatile boolean closed;

    public TenantDatasetCache(BufferAllocator allocator, Session session, int maximumSize, Duration idleTtl,
                              Duration refreshAfter) {
        this(allocator, session, maximumSize, idleTtl, refreshAfter, Ticker.systemTicker(),
                Scheduler.systemScheduler());
    }

    /** With an explicit clock and expiry scheduler (tests pass a manual ticker and no scheduler). */
    TenantDatasetCache(BufferAllocator allocator, Session session, int maximumSize, Duration idleTtl,
                       Duration refreshAfter, Ticker ticker, Scheduler scheduler) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.session = Objects.requireNonNull(session, "session");
        if (maximumSize < 1) {
            throw new IllegalArgumentException("the dataset cache must hold at least one dataset, was " + maximumSize);
        }
        requirePositive(idleTtl, "idle TTL");
        if (refreshAfter == null || refreshAfter.isNegative()) {
            throw new IllegalArgumentException("refreshAfter must be zero or positive, was " + refreshAfter);
        }
        this.refreshAfterNanos = refreshAfter.toNanos();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterAccess(idleTtl)
                .ticker(ticker)
                .scheduler(scheduler)
                // run evictions and the listener in the calling thread: no handle outlives its entry for long
                .executor(Runnable::run)
                .removalListener((Path path, CachedDataset entry, RemovalCause cause) -> {
                    if (entry != null) {
                        entry.release();
                    }
                })
                .build();
    }

    /**
     * Leases the latest committed version of the dataset at {@code path}, or empty when no version has been committed
     * there yet. The caller must close the lease (try-with-resources); the handle stays open until then even if the
     * entry is evicted meanwhile. The leased {@link Dataset} is shared: read from it, never mutate it (writes and
     * maintenance open their own handle).
     */
    public Optional<Lease> lease(Path path) {
        Objects.requireNonNull(path, "path");
        int refreshes = 0;
        while (true) {
            requireOpen();
            CachedDataset entry = cache.get(path, this::openIfCommitted);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.inserted.compareAndSet(true, false)) {
                // evict now, in this thread: Caffeine would otherwise defer it while another thread holds its
                // eviction lock, and open handles would pile up beyond the bound under concurrent misses
                cache.cleanUp();
            }
            if (!entry.tryAcquire()) {
                continue; // evicted between the lookup and the lease: the map no longer holds it, look again
            }
            if (refreshes < MAX_REFRESHES_PER_LEASE && entry.isBehindLatest()) {
                refreshes++;
                cache.asMap().remove(path, entry); // drops the cache's reference; readers of it keep theirs
                entry.release();
                continue;
            }
            return Optional.of(new Lease(entry));
        }
    }

    /** Runs {@code read} on a lease of the latest version; {@code whenAbsent} when no version exists yet. */
    public <T> T read(Path path, LanceRead<T> read, java.util.function.Supplier<T> whenAbsent) throws Exception {
        Optional<Lease> lease = lease(path);
        if (lease.isEmpty()) {
            return whenAbsent.get();
        }
        try (Lease held = lease.get()) {
            return read.read(held.dataset());
        }
    }

    /** Drops the cached handle of {@code path} (after a write here, or once its files were deleted). */
    public void invalidate(Path path) {
        cache.invalidate(path);
    }

    /** Entries currently cached (after pending evictions have run). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Dataset handles open right now: the cached ones plus evicted ones still leased by a query in flight. */
    public int openHandles() {
        return openHandles.get();
    }

    /** How many handles this cache has opened since it was created (misses plus refreshes). */
    public long opens() {
        return opens.get();
    }

    /** Runs pending expirations and evictions now (Caffeine otherwise does it on later activity or its scheduler). */
    public void cleanUp() {
        cache.cleanUp();
    }

    /**
     * Closes every cached handle not leased; leased handles close when their lease does. Later leases fail. The
     * session and allocator belong to the caller.
     */
    @Override
    public void close() {
        closed = true;
        cache.invalidateAll();
        cache.cleanUp();
    }

    private void requireOpen() {
        if (closed) {
            throw new IndexUnavailableException("The tenant dataset cache is closed");
        }
    }

    private CachedDataset openIfCommitted(Path path) {
        try {
            if (!isCommitted(path)) {
                return null;
            }
            Dataset dataset = Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
            openHandles.incrementAndGet();
            opens.incrementAndGet();
            return new CachedDataset(dataset, dataset.version(), ticker.read());
        } catch (IndexUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new IndexUnavailableException("Could not open the Lance dataset " + path + ": " + t, t);
        }
    }

    /**
     * A dataset exists once a manifest has been committed under {@code _versions}. Checking the manifest (not just the
     * directory) keeps a reader from opening a dataset whose first write is still in flight, even from another process.
     */
    static boolean isCommitted(Path path) throws IOException {
        Path versions = path.resolve("_versions");
        if (!Files.isDirectory(versions)) {
            return false;
        }
        try (Stream<Path> files = Files.list(versions)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".manifest"));
        }
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
    }

    /** A read on a leased dataset. */
    @FunctionalInterface
    public interface LanceRead<T> {
        T read(Dataset dataset) throws Exception;
    }

    /** One open handle and the references to it: the cache's own (while cached) and one per lease. */
    private final class CachedDataset {
        private final Dataset dataset;
        private final long version;
        private volatile long checkedAtNanos;
        private final AtomicInteger references = new AtomicInteger(1);
        /** Set when opened; the thread that inserted it runs the evictions its insert calls for. */
        private final AtomicBoolean inserted = new AtomicBoolean(true);

        private CachedDataset(Dataset dataset, long version, long openedAtNanos) {
            this.dataset = dataset;
            this.version = version;
            this.checkedAtNanos = openedAtNanos;
        }

        boolean tryAcquire() {
            while (true) {
                int current = references.get();
                if (current == 0) {
                    return false; // already closed
                }
                if (references.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                openHandles.decrementAndGet();
                dataset.close();
            }
        }

        /** Called while leased, so the handle cannot be closed underneath. */
        boolean isBehindLatest() {
            long now = ticker.read();
            if (now - checkedAtNanos < refreshAfterNanos) {
                return false;
            }
            try {
                // "different", not "greater": a dataset deleted and created anew at the same path starts again at 1
                boolean behind = dataset.latestVersion() != version;
                checkedAtNanos = now;
                return behind;
            } catch (RuntimeException e) {
                return true; // e.g. the dataset's files were removed: re-open (or find it gone) through the cache
            }
        }
    }

    /** A dataset handle in use; closing it hands the reference back (closing the handle if it was evicted). */
    public final class Lease implements AutoCloseable {
        private final CachedDataset entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(CachedDataset entry) {
            this.entry = entry;
        }

        public Dataset dataset() {
            if (released.get()) {
                throw new IllegalStateException("This dataset lease has been closed");
            }
            return entry.dataset;
        }

        /** The dataset version this lease reads. */
        public long version() {
            return entry.version;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                entry.release();
            }
        }
    }
}
