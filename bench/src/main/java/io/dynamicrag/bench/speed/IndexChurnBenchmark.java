package io.dynamicrag.bench.speed;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.CatalogEntry;
import io.dynamicrag.processing.index.ChunkFilter;
import io.dynamicrag.processing.index.ChunkSet;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.MaintainedDataset;
import io.dynamicrag.processing.index.RetainedVersions;
import io.dynamicrag.processing.index.TenantDatasets;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The soak drill's index work without HTTP or the pipeline: TENANTS tenants, each with DOCUMENTS documents of
 * CHUNKS chunks, get new versions of random documents (chunks replaced, old version deleted, catalog entry put and
 * the old one deleted, as the index step does) interleaved with hybrid searches (kNN + BM25 on the chunks, BM25 on the
 * catalog, as the search handlers do), with a maintenance pass after every 50 writes to a tenant (as the maintenance
 * job). Prints, per interval: rounds, write and search p50/p99 in ms, the session's cache bytes and the process's
 * CPU. A cost that grows with time shows as rising figures. The Lance session's two cache bounds are the arguments.
 * Not a test: it asserts nothing.
 */
public final class IndexChurnBenchmark {

    private static final int DIMENSIONS = 384;
    private static final int TENANTS = 4;
    private static final int DOCUMENTS = 150;
    private static final int CHUNKS = 5;
    private static final String[] WORDS = ("harbour invoice lighthouse keeper boundary layer shock wave turbine blade "
            + "pressure gradient supersonic flow heat transfer laminar turbulent wing panel flutter nozzle cone "
            + "cylinder plate buckling stress vibration frequency rotterdam shipment container customs freight")
            .split(" ");

    private final Random random = new Random(7);

    public static void main(String[] args) throws IOException {
        long indexMb = args.length > 0 ? Long.parseLong(args[0]) : 512;
        long metadataMb = args.length > 1 ? Long.parseLong(args[1]) : 128;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int intervalSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        new IndexChurnBenchmark().run(indexMb, metadataMb, seconds, intervalSeconds);
    }

    private void run(long indexMb, long metadataMb, int seconds, int intervalSeconds) throws IOException {
        Path dataDir = Files.createTempDirectory("index-churn-");
        TenantDatasets.SessionCaches caches = new TenantDatasets.SessionCaches(indexMb << 20, metadataMb << 20);
        System.out.printf("index churn: %d tenants x %d documents x %d chunks (%d dimensions); session caches: "
                        + "index %d MB, metadata %d MB; %d s%n", TENANTS, DOCUMENTS, CHUNKS, DIMENSIONS, indexMb,
                metadataMb, seconds);
        try (TenantDatasets datasets = new TenantDatasets(dataDir, LanceTenantChunkIndex.Settings.DEFAULTS,
                RetainedVersions.LATEST_ONLY, caches);
             LanceTenantChunkIndex index = new LanceTenantChunkIndex(datasets);
             LanceTenantCatalog catalog = new LanceTenantCatalog(datasets)) {
            List<IndexSpace> spaces = new ArrayList<>();
            List<DocumentId[]> documents = new ArrayList<>();
            int[][] versions = new int[TENANTS][DOCUMENTS];
            for (int t = 0; t < TENANTS; t++) {
                IndexSpace space = IndexSpace.initial(TenantId.random());
                spaces.add(space);
                DocumentId[] ids = new DocumentId[DOCUMENTS];
                for (int d = 0; d < DOCUMENTS; d++) {
                    ids[d] = DocumentId.random();
                    write(index, catalog, space, ids[d], 1);
                    versions[t][d] = 1;
                }
                documents.add(ids);
            }
            System.out.println("| t (s) | rounds | write p50 / p99 (ms) | search p50 / p99 (ms) | session cache (MB) "
                    + "| CPU in the interval (s) |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long intervalEnd = System.nanoTime() + intervalSeconds * 1_000_000_000L;
            long cpuAtStart = cpuNanos();
            long started = System.nanoTime();
            List<Long> writes = new ArrayList<>();
            List<Long> searches = new ArrayList<>();
            int[] writesSinceMaintenance = new int[TENANTS];
            int rounds = 0;
            while (System.nanoTime() < end) {
                int t = random.nextInt(TENANTS);
                IndexSpace space = spaces.get(t);
                int d = random.nextInt(DOCUMENTS);
                long before = System.nanoTime();
                int version = ++versions[t][d];
                write(index, catalog, space, documents.get(t)[d], version);
                writes.add(System.nanoTime() - before);
                if (++writesSinceMaintenance[t] >= 50) {
                    writesSinceMaintenance[t] = 0;
                    index.maintain(new MaintainedDataset(space.tenant(), 0, index.datasetPath(space)));
                }
                for (int s = 0; s < 3; s++) { // the soak's mix: 3 searches per ingest
                    before = System.nanoTime();
                    search(index, catalog, spaces.get(random.nextInt(TENANTS)));
                    searches.add(System.nanoTime() - before);
                }
                rounds++;
                if (System.nanoTime() >= intervalEnd) {
                    long cpu = cpuNanos();
                    System.out.printf("| %d | %d | %s | %s | %.0f | %.1f |%n",
                            (System.nanoTime() - started) / 1_000_000_000L, rounds, percentiles(writes),
                            percentiles(searches), datasets.sessionCacheBytes() / 1048576.0,
                            (cpu - cpuAtStart) / 1e9);
                    cpuAtStart = cpu;
                    writes.clear();
                    searches.clear();
                    rounds = 0;
                    intervalEnd = System.nanoTime() + intervalSeconds * 1_000_000_000L;
                }
            }
        }
    }

    private void write(LanceTenantChunkIndex index, LanceTenantCatalog catalog, IndexSpace space, DocumentId document,
                       int version) {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int c = 0; c < CHUNKS; c++) {
            chunks.add(new IndexedChunk(c, "Document " + document, text(120), vector()));
        }
        index.replaceVersion(space, document, version, chunks);
        catalog.put(space, new CatalogEntry(document, version, "Document " + document, "txt", null, text(150),
                vector()));
        if (version > 1) {
            index.deleteOtherVersions(space, document, version);
            catalog.deleteOtherVersions(space, document, version);
        }
    }

    private void search(LanceTenantChunkIndex index, LanceTenantCatalog catalog, IndexSpace space) {
        String query = text(3);
        index.nearest(space, vector(), 50, ChunkFilter.none(), ChunkSet.LATEST);
        index.matching(space, query, 50, ChunkFilter.none(), ChunkSet.LATEST);
        catalog.matching(space, query, 10, ChunkFilter.none());
    }

    private String text(int words) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(w % 12 == 11 ? ". " : " ");
        }
        return text.toString();
    }

    private float[] vector() {
        float[] vector = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "-";
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return String.format("%.1f / %.1f", sorted[sorted.length / 2] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6);
    }

    /** CPU of the whole process (Lance's native threads included), from the OS bean. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private IndexChurnBenchmark() {
    }
}
