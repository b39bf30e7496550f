package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.Session;
import org.lance.index.DistanceType;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What the open-dataset LRU saves: the cost of opening a tenant dataset per query against leasing a cached handle,
 * on one tenant and across many. Prints figures; asserts nothing. Run with {@code scripts/bench-dataset-cache.sh}.
 *
 * <p>Arguments: tenants (200), chunks per tenant (200), writes per tenant (10: one fragment each), queries (2000),
 * cache size (100).
 */
public final class DatasetCacheBenchmark {

    private static final int DIM = 384;

    private DatasetCacheBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tenants = arg(args, 0, 200);
        int chunksPerTenant = arg(args, 1, 200);
        int writesPerTenant = arg(args, 2, 10);
        int queries = arg(args, 3, 2000);
        int cacheSize = arg(args, 4, 100);
        Path dataDir = Files.createTempDirectory("rag-dataset-cache-bench");
        Random random = new Random(42);
        List<Path> paths = new ArrayList<>();
        long writeStart = System.nanoTime();
        try (LanceTenantChunkIndex writer = new LanceTenantChunkIndex(dataDir)) {
            for (int t = 0; t < tenants; t++) {
                IndexSpace space = new IndexSpace(TenantId.random(), 0, "bench", DIM);
                for (int w = 0; w < writesPerTenant; w++) {
                    List<IndexedChunk> chunks = new ArrayList<>();
                    for (int c = 0; c < chunksPerTenant / writesPerTenant; c++) {
                        chunks.add(new IndexedChunk(c, "t", "chunk " + c, vector(random)));
                    }
                    writer.replaceVersion(space, DocumentId.random(), 1, chunks);
                }
                paths.add(writer.datasetPath(space));
            }
        }
        System.out.printf("wrote %d tenants x %d chunks in %d fragments each in %.1f s%n", tenants, chunksPerTenant,
                writesPerTenant, (System.nanoTime() - writeStart) / 1e9);

        try (BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
             Session session = Session.builder().indexCacheSizeBytes(512L << 20).metadataCacheSizeBytes(128L << 20)
                     .build()) {
            Path one = paths.get(0);
            for (int i = 0; i < 50; i++) { // warm-up: JIT, native library, session caches
                try (Dataset dataset = open(allocator, session, one)) {
                    knn(dataset, vector(random));
                }
            }
            double[] open = new double[queries];
            for (int i = 0; i < queries; i++) {
                long start = System.nanoTime();
                try (Dataset ignored = open(allocator, session, one)) {
                    open[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            double[] openAndQuery = time(queries, () -> {
                try (Dataset dataset = open(allocator, session, one)) {
                    knn(dataset, vector(random));
                }
            });
            double[] cachedOne;
            try (TenantDatasetCache cache = new TenantDatasetCache(allocator, session, cacheSize,
                    Duration.ofMinutes(30), Duration.ZERO)) {
                cachedOne = time(queries, () -> {
                    try (TenantDatasetCache.Lease lease = cache.lease(one).orElseThrow()) {
                        knn(lease.dataset(), vector(random));
                    }
                });
            }
            report("one tenant: open + close only", open);
            report("one tenant: open per query + kNN", openAndQuery);
            report("one tenant: cached lease + kNN", cachedOne);

            double[] openMany = time(queries, () -> {
                try (Dataset dataset = open(allocator, session, paths.get(random.nextInt(tenants)))) {
                    knn(dataset, vector(random));
                }
            });
            double[] cachedMany;
            long opens;
            try (TenantDatasetCache cache = new TenantDatasetCache(allocator, session, cacheSize,
                    Duration.ofMinutes(30), Duration.ZERO)) {
                cachedMany = time(queries, () -> {
                    try (TenantDatasetCache.Lease lease = cache.lease(paths.get(random.nextInt(tenants)))
                            .orElseThrow()) {
                        knn(lease.dataset(), vector(random));
                    }
                });
                opens = cache.opens();
            }
            report(tenants + " random tenants: open per query + kNN", openMany);
            report(tenants + " random tenants: LRU of " + cacheSize + " + kNN (" + opens + " opens)", cachedMany);
        }
        System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Dataset open(BufferAllocator allocator, Session session, Path path) {
        return Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
    }

    private static void knn(Dataset dataset, float[] vector) throws Exception {
        ScanOptions options = new ScanOptions.Builder()
                .columns(List.of(LanceTenantChunkIndex.DOCUMENT_ID))
                .nearest(new Query.Builder().setColumn(LanceTenantChunkIndex.VECTOR).setKey(vector).setK(10)
                        .setDistanceType(DistanceType.Cosine).build())
                .build();
        try (LanceScanner scanner = dataset.newScan(options); ArrowReader reader = scanner.scanBatches()) {
            while (reader.loadNextBatch()) {
                reader.getVectorSchemaRoot().getRowCount();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static double[] time(int runs, Step step) throws Exception {
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            step.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    private static void report(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("%-60s p50 %.2f ms  p99 %.2f ms  mean %.2f ms%n", what, sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                Arrays.stream(millis).average().orElse(0));
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
