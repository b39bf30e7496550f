package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.index.IndexType;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chunk index and the catalog on one {@link TenantDatasets}, on real Lance datasets: maintenance compacts and
 * cleans up {@code versions.lance} and {@code catalog.lance} with {@code chunks.lance}, and every search reads the
 * same rows afterwards; catalog reads lease from the shared LRU; catalog writes wait for the tenant's write lock.
 */
class TenantDatasetsTest {

    private static final int DIM = 8;
    private static final int MIN_FRAGMENTS = 4;

    @TempDir
    Path dataDir;

    private TenantDatasets datasets;
    private LanceTenantChunkIndex index;
    private LanceTenantCatalog catalog;
    private final Random random = new Random(11);
    private final IndexSpace space = new IndexSpace(TenantId.random(), 0, "test-model", DIM);

    @BeforeEach
    void setUp() {
        // retention zero: a pass may remove every version but the latest
        datasets = new TenantDatasets(dataDir, new LanceTenantChunkIndex.Settings(8, Duration.ofMinutes(30),
                Duration.ZERO, new IndexMaintenance.Settings(1_000, IndexType.IVF_HNSW_SQ, MIN_FRAGMENTS, 0.1,
                Duration.ZERO)), RetainedVersions.LATEST_ONLY);
        index = new LanceTenantChunkIndex(datasets);
        catalog = new LanceTenantCatalog(datasets);
    }

    @AfterEach
    void tearDown() {
        index.close();
        catalog.close();
        datasets.close();
    }

    @Test
    void shouldCompactAndCleanUpTheHistoryAndTheCatalogInTheChunksPassAndKeepEveryRow() {
        List<DocumentId> documents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            documents.add(indexVersion(DocumentId.random(), 1, "harbour invoice " + i));
        }
        for (DocumentId document : documents.subList(0, 3)) { // new versions: deletes in the old fragments
            indexVersion(document, 2, "harbour invoice revised");
            index.deleteOtherVersions(space, document, 2);
            catalog.deleteOtherVersions(space, document, 2);
        }
        catalog.deleteDocument(space, documents.get(11));
        index.deleteDocument(space, documents.get(11));

        Shape versionsBefore = shape(TenantDataset.VERSIONS);
        Shape catalogBefore = shape(TenantDataset.CATALOG);
        // one fragment per small write (a fragment whose rows are all deleted goes), a version per commit
        assertThat(versionsBefore.fragments()).isGreaterThanOrEqualTo(10);
        assertThat(catalogBefore.fragments()).isGreaterThanOrEqualTo(10);
        assertThat(versionsBefore.versions()).isGreaterThanOrEqualTo(15);
        assertThat(catalogBefore.versions()).isGreaterThanOrEqualTo(15);
        List<String> history = historyRows();
        List<String> entries = catalogRows();
        assertThat(history).as("two chunks of each of 14 versions: 12 first ones, 3 second ones, one deleted")
                .hasSize(28);
        assertThat(entries).as("the 11 documents left, each at its latest version").hasSize(11);

        IndexMaintenanceJob job = new IndexMaintenanceJob(datasets, Duration.ofHours(1), 1_000, Duration.ofHours(1),
                Clock.systemUTC());
        try {
            assertThat(job.sweep()).as("one generation, all its datasets in its pass").isEqualTo(1);

            Shape versionsAfter = shape(TenantDataset.VERSIONS);
            Shape catalogAfter = shape(TenantDataset.CATALOG);
            assertThat(versionsAfter.fragments()).isLessThanOrEqualTo(2);
            assertThat(catalogAfter.fragments()).isLessThanOrEqualTo(2);
            assertThat(versionsAfter.versions()).as("retention zero: the latest version only").isEqualTo(1);
            assertThat(catalogAfter.versions()).isEqualTo(1);
            assertThat(historyRows()).containsExactlyInAnyOrderElementsOf(history);
            assertThat(catalogRows()).containsExactlyInAnyOrderElementsOf(entries);
            assertThat(keywordHits()).containsExactlyInAnyOrderElementsOf(entries);

            for (TenantDataset dataset : TenantDataset.values()) {
                IndexMaintenanceJob.Totals totals = job.totals(dataset.fileName());
                assertThat(totals.passes()).as(dataset.fileName()).isEqualTo(1);
                assertThat(totals.compactions()).as(dataset.fileName()).isEqualTo(1);
                assertThat(totals.versionsRemoved()).as(dataset.fileName()).isPositive();
                assertThat(totals.bytesRemoved()).as(dataset.fileName()).isPositive();
            }
            assertThat(job.sweep()).as("nothing changed since").isZero();

            // a write to the catalog alone makes the generation due again
            catalog.put(space, entry(documents.get(5), 1, "harbour invoice 5"));
            assertThat(job.sweep()).isEqualTo(1);
            assertThat(catalogRows()).containsExactlyInAnyOrderElementsOf(entries);
        } finally {
            job.close();
        }
    }

    @Test
    void shouldReadTheCatalogThroughTheSharedDatasetCache() {
        indexVersion(DocumentId.random(), 1, "lighthouse keeper");
        long opens = datasets.datasetCache().opens();

        for (int i = 0; i < 3; i++) {
            assertThat(catalog.nearest(space, vector(), 5, ChunkFilter.none())).hasSize(1);
        }

        assertThat(datasets.datasetCache().opens() - opens).as("opened once, then leased").isEqualTo(1);
        catalog.put(space, entry(DocumentId.random(), 1, "lighthouse lamp"));
        assertThat(catalog.matching(space, "lighthouse", 5, ChunkFilter.none()))
                .as("a write drops the cached handle: the next read sees it").hasSize(2);
    }

    @Test
    void shouldSerialiseCatalogWritesWithTheTenantsChunkWritesAndMaintenance() throws Exception {
        indexVersion(DocumentId.random(), 1, "first");
        List<String> spans = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch chunkWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseChunkWrite = new CountDownLatch(1);
        datasets.recordWritesIn((tenant, operation) -> {
            spans.add("begin " + operation);
            if (operation.startsWith("replace")) {
                chunkWriteStarted.countDown();
                waitFor(releaseChunkWrite);
            }
            return () -> spans.add("end " + operation);
        });

        CompletableFuture<Void> chunkWrite = CompletableFuture.runAsync(() ->
                index.replaceVersion(space, DocumentId.random(), 1, List.of(chunk(0, "second"))));
        assertThat(chunkWriteStarted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> catalogWrite = CompletableFuture.runAsync(() ->
                catalog.put(space, entry(DocumentId.random(), 1, "second")));
        CompletableFuture<IndexMaintenance.Outcome> pass = CompletableFuture.supplyAsync(() ->
                datasets.maintain(datasets.list().get(0)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 1);
        assertThat(spans).as("the catalog write and the pass wait for the chunk write").singleElement()
                .asString().startsWith("begin replace version 1 of document");

        releaseChunkWrite.countDown();
        CompletableFuture.allOf(chunkWrite, catalogWrite, pass).get(2, TimeUnit.MINUTES);
        assertThat(spans).hasSize(6);
        for (int i = 0; i < spans.size(); i += 2) {
            assertThat(spans.get(i + 1)).as("no write begins inside another")
                    .isEqualTo("end " + spans.get(i).substring("begin ".length()));
        }
        assertThat(pass.get().companions()).extracting(IndexMaintenance.Outcome::dataset)
                .containsExactly("versions.lance", "catalog.lance");
    }

    @Test
    void shouldKeepTheLanceSessionCachesWithinTheConfiguredBounds() {
        TenantDatasets.SessionCaches small = new TenantDatasets.SessionCaches(256 * 1024, 256 * 1024);
        try (TenantDatasets bounded = new TenantDatasets(dataDir.resolve("bounded"), new LanceTenantChunkIndex.Settings(
                8, Duration.ofMinutes(30), Duration.ZERO, new IndexMaintenance.Settings(1_000, IndexType.IVF_HNSW_SQ,
                MIN_FRAGMENTS, 0.1, Duration.ZERO)), RetainedVersions.LATEST_ONLY, small);
             LanceTenantCatalog boundedCatalog = new LanceTenantCatalog(bounded)) {
            for (int i = 0; i < 10; i++) {
                DocumentId document = DocumentId.random();
                indexVersion(document, 1, "harbour invoice " + i);
                boundedCatalog.put(space, entry(document, 1, "harbour invoice " + i));
                keywordHits();
                boundedCatalog.matching(space, "harbour invoice", 100, ChunkFilter.none());
                boundedCatalog.nearest(space, vector(), 100, ChunkFilter.none());
                catalogRows();
            }
            // Lance evicts lazily, so the bound is approximate (measured: up to 6x a tiny bound); the same work
            // fills the default-sized caches far past twice the small bounds, so the bound is what held
            long twiceTheBounds = 2 * (small.indexBytes() + small.metadataBytes());
            assertThat(datasets.sessionCacheBytes()).isGreaterThan(twiceTheBounds);
            assertThat(bounded.sessionCacheBytes()).isLessThanOrEqualTo(twiceTheBounds);
        }
    }

    // --- helpers ---

    /** One small write to each dataset: the chunks (and history) of the version, then its catalog entry. */
    private DocumentId indexVersion(DocumentId document, int version, String text) {
        index.replaceVersion(space, document, version, List.of(chunk(0, text), chunk(1, text + " continued")));
        catalog.put(space, entry(document, version, text));
        return document;
    }

    private IndexedChunk chunk(int chunkIndex, String text) {
        return new IndexedChunk(chunkIndex, "title", text, vector());
    }

    private CatalogEntry entry(DocumentId document, int version, String text) {
        return new CatalogEntry(document, version, "Invoice " + document, "txt", "https://example.com/" + document,
                text, vector());
    }

    private float[] vector() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private record Shape(int fragments, int versions) {
    }

    private Shape shape(TenantDataset dataset) {
        return datasets.read(space, dataset, "look at its shape",
                opened -> new Shape(opened.getFragments().size(), opened.listVersions().size()), () -> null);
    }

    /** Every row of the history, as document:version:chunk (kNN with k beyond the row count returns them all). */
    private List<String> historyRows() {
        return index.nearest(space, vector(), 1_000, ChunkFilter.none(), ChunkSet.ALL_VERSIONS).stream()
                .map(hit -> hit.documentId() + ":" + hit.version() + ":" + hit.chunkIndex()).toList();
    }

    private List<String> catalogRows() {
        return catalog.nearest(space, vector(), 1_000, ChunkFilter.none()).stream()
                .map(hit -> hit.documentId() + ":" + hit.version()).toList();
    }

    private List<String> keywordHits() {
        return catalog.matching(space, "harbour invoice", 1_000, ChunkFilter.none()).stream()
                .map(hit -> hit.documentId() + ":" + hit.version()).toList();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
