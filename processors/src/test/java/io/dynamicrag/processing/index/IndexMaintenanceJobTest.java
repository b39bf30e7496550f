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
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The maintenance job and the index's maintenance entry points, on real Lance datasets. */
class IndexMaintenanceJobTest {

    private static final int DIM = 16;
    private static final int THRESHOLD = 1_000;

    @TempDir
    Path dataDir;

    private LanceTenantChunkIndex index;
    private IndexMaintenanceJob job;
    private final Random random = new Random(3);

    @BeforeEach
    void setUp() {
        index = new LanceTenantChunkIndex(dataDir, new LanceTenantChunkIndex.Settings(8, Duration.ofMinutes(30),
                Duration.ZERO, new IndexMaintenance.Settings(THRESHOLD, IndexType.IVF_HNSW_SQ, 16, 0.1,
                Duration.ofHours(1))), RetainedVersions.LATEST_ONLY);
    }

    @AfterEach
    void tearDown() {
        if (job != null) {
            job.close();
        }
        index.close();
    }

    @Test
    void shouldListTheDatasetsOfEveryTenantAndGeneration() {
        TenantId first = TenantId.random();
        TenantId second = TenantId.random();
        index.replaceVersion(space(first, 0), DocumentId.random(), 1, chunks(2));
        index.replaceVersion(space(second, 0), DocumentId.random(), 1, chunks(2));
        index.replaceVersion(space(second, 3), DocumentId.random(), 1, chunks(2));
        index.replaceVersion(space(TenantId.random(), 0), DocumentId.random(), 1, List.of()); // nothing committed

        assertThat(index.list()).containsExactlyInAnyOrder(
                new MaintainedDataset(first, 0, index.datasetPath(space(first, 0))),
                new MaintainedDataset(second, 0, index.datasetPath(space(second, 0))),
                new MaintainedDataset(second, 3, index.datasetPath(space(second, 3))));
    }

    @Test
    void shouldMaintainADatasetAfterEnoughWrites() throws Exception {
        job = new IndexMaintenanceJob(index, Duration.ofHours(1), 5, Duration.ofHours(1), Clock.systemUTC());
        index.onWrite(job::written);
        IndexSpace space = space(TenantId.random(), 0);

        for (int i = 0; i < 4; i++) {
            index.replaceVersion(space, DocumentId.random(), 1, chunks(3));
        }
        // four writes: no pass yet (the write path itself keeps the full-text index; the scalar index is the
        // maintenance pass's)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !indexNames(space).contains(IndexMaintenance.DOCUMENT_ID_INDEX));

        index.replaceVersion(space, DocumentId.random(), 1, chunks(3));

        await().atMost(Duration.ofSeconds(30)).until(() -> indexNames(space).size() >= 2);
        // (an index with a delta segment is listed once per segment)
        assertThat(indexNames(space)).containsOnly(IndexMaintenance.DOCUMENT_ID_INDEX,
                IndexMaintenance.FULL_TEXT_INDEX);
    }

    @Test
    void shouldSweepOnlyDatasetsThatChangedSinceTheirLastPass() {
        job = new IndexMaintenanceJob(index, Duration.ofHours(1), 1_000, Duration.ofHours(1), Clock.systemUTC());
        IndexSpace a = space(TenantId.random(), 0);
        IndexSpace b = space(TenantId.random(), 0);
        index.replaceVersion(a, DocumentId.random(), 1, chunks(2));
        index.replaceVersion(b, DocumentId.random(), 1, chunks(2));

        assertThat(job.sweep()).isEqualTo(2);
        assertThat(job.sweep()).as("nothing changed").isZero();

        index.replaceVersion(b, DocumentId.random(), 1, chunks(2));
        assertThat(job.sweep()).isEqualTo(1);
        assertThat(indexNames(b)).contains(IndexMaintenance.DOCUMENT_ID_INDEX);
    }

    @Test
    void shouldKeepAnsweringSearchesWhileAnAnnIndexIsBuilt() throws Exception {
        IndexSpace space = space(TenantId.random(), 0);
        List<IndexedChunk> rows = chunks(THRESHOLD + 200);
        index.replaceVersion(space, DocumentId.random(), 1, rows);
        MaintainedDataset dataset = index.list().get(0);

        CompletableFuture<IndexMaintenance.Outcome> build = CompletableFuture.supplyAsync(() -> index.maintain(dataset));
        AtomicInteger searchesDuringBuild = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        while (!build.isDone()) {
            try {
                assertThat(index.nearest(space, rows.get(7).vector(), 5)).isNotEmpty()
                        .first().satisfies(hit -> assertThat(hit.chunkIndex()).isEqualTo(7));
                if (!build.isDone()) {
                    searchesDuringBuild.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        IndexMaintenance.Outcome outcome = build.get(5, TimeUnit.MINUTES);
        assertThat(failure.get()).isNull();
        assertThat(outcome.vectorIndexBuilt()).isTrue();
        assertThat(searchesDuringBuild.get()).as("searches were answered while the index was being built")
                .isPositive();
        assertThat(index.nearest(space, rows.get(7).vector(), 5)).first()
                .satisfies(hit -> assertThat(hit.chunkIndex()).isEqualTo(7));
    }

    private List<String> indexNames(IndexSpace space) {
        return index.read(space, "list its indexes", dataset -> dataset.listIndexes(), List::of);
    }

    private List<IndexedChunk> chunks(int count) {
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) random.nextGaussian();
            }
            chunks.add(new IndexedChunk(i, "title", "chunk text " + i, v));
        }
        return chunks;
    }

    private static IndexSpace space(TenantId tenant, long generation) {
        return new IndexSpace(tenant, generation, "test-model", DIM);
    }
}
