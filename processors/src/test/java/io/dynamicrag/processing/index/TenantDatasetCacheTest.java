package io.dynamicrag.processing.index;

import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.Session;
import org.lance.index.DistanceType;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant dataset LRU against real Lance datasets: 1,000 tenants, a small cache, many threads querying at once.
 * The datasets are written once for the class (writing 1,000 datasets takes a while on two cores).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantDatasetCacheTest {

    private static final int DIM = 8;
    private static final int TENANTS = 1_000;

    @TempDir
    static Path dataDir;

    private LanceTenantChunkIndex writer;
    private final List<TenantId> tenants = new ArrayList<>();
    private final List<DocumentId> documents = new ArrayList<>();

    private BufferAllocator allocator;
    private Session session;
    private final ManualTicker ticker = new ManualTicker();
    private TenantDatasetCache cache;

    @BeforeAll
    void writeOneDatasetPerTenant() throws Exception {
        writer = new LanceTenantChunkIndex(dataDir);
        for (int i = 0; i < TENANTS; i++) {
            tenants.add(TenantId.random());
            documents.add(DocumentId.random());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            int tenant = i;
            writes.add(pool.submit(() -> writer.replaceVersion(space(tenants.get(tenant)), documents.get(tenant), 1,
                    List.of(new IndexedChunk(0, "t", "text of tenant " + tenant, axis(tenant % DIM))))));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
    }

    @AfterAll
    void closeWriter() {
        writer.close();
    }

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator(Long.MAX_VALUE);
        session = Session.builder().build();
    }

    @AfterEach
    void tearDown() {
        cache.close();
        assertThat(cache.openHandles()).as("every handle closed with the cache").isZero();
        session.close();
        allocator.close();
    }

    @Test
    void shouldServeManyConcurrentQueriesAcross1000TenantsWithinTheSizeBound() throws Exception {
        int maximumSize = 16;
        int threads = 8;
        int queriesPerThread = 400;
        cache = newCache(maximumSize, Duration.ofMinutes(30));
        AtomicInteger leasesInFlight = new AtomicInteger();
        AtomicInteger worstOpenHandles = new AtomicInteger();
        AtomicLong queries = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runs.add(pool.submit(() -> {
                for (int q = 0; q < queriesPerThread && failure.get() == null; q++) {
                    int tenant = ThreadLocalRandom.current().nextInt(TENANTS);
                    try (TenantDatasetCache.Lease lease = cache.lease(path(tenant)).orElseThrow()) {
                        leasesInFlight.incrementAndGet();
                        worstOpenHandles.accumulateAndGet(cache.openHandles(), Math::max);
                        List<String> texts = nearestTexts(lease.dataset(), axis(tenant % DIM), 5);
                        assertThat(texts).containsExactly("text of tenant " + tenant);
                        leasesInFlight.decrementAndGet();
                        queries.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(failure.get()).as("no query failed").isNull();
        assertThat(queries.get()).isEqualTo((long) threads * queriesPerThread);
        assertThat(cache.size()).isLessThanOrEqualTo(maximumSize);
        System.out.printf("LRU under load: %d queries, %d threads, %d tenants, cache %d: %d opens, "
                + "worst open handles %d, cached at the end %d%n", queries.get(), threads, TENANTS, maximumSize,
                cache.opens(), worstOpenHandles.get(), cache.size());
        // each thread holds at most one handle beyond the bound: its fresh insert before the eviction it runs, or
        // the entry evicted while its query still leases it
        assertThat(worstOpenHandles.get())
                .as("open handles stay within the bound plus one per querying thread")
                .isLessThanOrEqualTo(maximumSize + threads);
        assertThat(cache.openHandles()).as("no lease left: only cached handles stay open")
                .isEqualTo((int) cache.size());
        assertThat(cache.opens()).as("mostly misses with 1,000 tenants over 16 slots, so evictions happened")
                .isGreaterThan(maximumSize * 10L);
    }

    @Test
    void shouldKeepAnEvictedDatasetOpenUntilItsQueryReleasesIt() throws Exception {
        cache = newCache(2, Duration.ofMinutes(30));
        TenantDatasetCache.Lease held = cache.lease(path(0)).orElseThrow();

        for (int tenant = 1; tenant <= 10; tenant++) {
            try (TenantDatasetCache.Lease other = cache.lease(path(tenant)).orElseThrow()) {
                assertThat(nearestTexts(other.dataset(), axis(tenant % DIM), 1)).hasSize(1);
            }
        }
        // Caffeine's W-TinyLFU may have kept tenant 0 (it was used first); evict it for sure
        cache.invalidate(path(0));
        assertThat(cache.size()).isLessThanOrEqualTo(2);
        assertThat(cache.openHandles()).as("the cached ones plus the evicted one still leased")
                .isEqualTo((int) cache.size() + 1);

        assertThat(nearestTexts(held.dataset(), axis(0), 5)).containsExactly("text of tenant 0");
        held.close();
        held.close(); // a second close is harmless

        assertThat(cache.openHandles()).as("released: the evicted handle is closed").isEqualTo((int) cache.size());
    }

    @Test
    void shouldCloseIdleDatasetsAfterTheTtl() throws Exception {
        cache = newCache(100, Duration.ofMinutes(30));
        for (int tenant = 0; tenant < 50; tenant++) {
            try (TenantDatasetCache.Lease lease = cache.lease(path(tenant)).orElseThrow()) {
                assertThat(lease.dataset().countRows()).isEqualTo(1);
            }
        }
        ticker.advance(Duration.ofMinutes(20));
        for (int tenant = 0; tenant < 5; tenant++) {
            cache.lease(path(tenant)).orElseThrow().close(); // used again: not idle
        }
        assertThat(cache.size()).isEqualTo(50);

        ticker.advance(Duration.ofMinutes(11));
        cache.cleanUp();

        assertThat(cache.size()).as("only the five used within the last 30 minutes remain").isEqualTo(5);
        assertThat(cache.openHandles()).isEqualTo(5);

        ticker.advance(Duration.ofMinutes(31));
        cache.cleanUp();
        assertThat(cache.size()).isZero();
        assertThat(cache.openHandles()).isZero();
    }

    @Test
    void shouldSeeWritesCommittedAfterTheHandleWasCached() throws Exception {
        cache = newCache(4, Duration.ofMinutes(30));
        TenantId tenant = TenantId.random();
        DocumentId document = DocumentId.random();
        Path path = writer.datasetPath(space(tenant));

        assertThat(cache.lease(path)).as("no dataset yet").isEmpty();

        writer.replaceVersion(space(tenant), document, 1, List.of(new IndexedChunk(0, "t", "first", axis(0))));
        try (TenantDatasetCache.Lease lease = cache.lease(path).orElseThrow()) {
            assertThat(lease.dataset().countRows()).isEqualTo(1);
        }

        writer.replaceVersion(space(tenant), DocumentId.random(), 1,
                List.of(new IndexedChunk(0, "t", "second", axis(1))));
        try (TenantDatasetCache.Lease lease = cache.lease(path).orElseThrow()) {
            assertThat(lease.dataset().countRows()).as("the cached handle was behind and got refreshed").isEqualTo(2);
            assertThat(nearestTexts(lease.dataset(), axis(1), 1)).containsExactly("second");
        }
        assertThat(cache.openHandles()).as("the stale handle was closed").isEqualTo(1);
    }

    @Test
    void shouldNotServeADatasetThatWasDeletedAndCreatedAnewAtTheSamePath() throws Exception {
        cache = newCache(4, Duration.ofMinutes(30));
        TenantId tenant = TenantId.random();
        Path path = writer.datasetPath(space(tenant));
        for (int i = 0; i < 3; i++) {
            writer.replaceVersion(space(tenant), DocumentId.random(), 1,
                    List.of(new IndexedChunk(0, "t", "old " + i, axis(i))));
        }
        try (TenantDatasetCache.Lease lease = cache.lease(path).orElseThrow()) {
            assertThat(lease.dataset().countRows()).isEqualTo(3);
        }

        try (var files = java.nio.file.Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        writer.replaceVersion(space(tenant), DocumentId.random(), 1, List.of(new IndexedChunk(0, "t", "new", axis(5))));

        try (TenantDatasetCache.Lease lease = cache.lease(path).orElseThrow()) {
            assertThat(lease.version()).isEqualTo(1);
            assertThat(nearestTexts(lease.dataset(), axis(5), 5)).containsExactly("new");
        }
    }

    @Test
    void shouldRefuseLeasesOnceClosed() {
        cache = newCache(4, Duration.ofMinutes(30));
        cache.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.lease(path(0)))
                .isInstanceOf(IndexUnavailableException.class);
    }

    private TenantDatasetCache newCache(int maximumSize, Duration idleTtl) {
        return new TenantDatasetCache(allocator, session, maximumSize, idleTtl, Duration.ZERO, ticker,
                Scheduler.disabledScheduler());
    }

    private Path path(int tenant) {
        return writer.datasetPath(space(tenants.get(tenant)));
    }

    static IndexSpace space(TenantId tenant) {
        return new IndexSpace(tenant, 0, "test-model", DIM);
    }

    static List<String> nearestTexts(Dataset dataset, float[] vector, int k) throws Exception {
        ScanOptions options = new ScanOptions.Builder()
                .columns(List.of(LanceTenantChunkIndex.TEXT))
                .nearest(new Query.Builder().setColumn(LanceTenantChunkIndex.VECTOR).setKey(vector).setK(k)
                        .setDistanceType(DistanceType.Cosine).build())
                .build();
        List<String> texts = new ArrayList<>();
        try (LanceScanner scanner = dataset.newScan(options); ArrowReader reader = scanner.scanBatches()) {
            while (reader.loadNextBatch()) {
                VarCharVector text = (VarCharVector) reader.getVectorSchemaRoot().getVector(LanceTenantChunkIndex.TEXT);
                for (int row = 0; row < reader.getVectorSchemaRoot().getRowCount(); row++) {
                    texts.add(new String(text.get(row), StandardCharsets.UTF_8));
                }
            }
        }
        return texts;
    }

    static float[] axis(int i) {
        float[] v = new float[DIM];
        v[i] = 1f;
        return v;
    }

    /** A clock the test moves by hand. */
    static final class ManualTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }
}
