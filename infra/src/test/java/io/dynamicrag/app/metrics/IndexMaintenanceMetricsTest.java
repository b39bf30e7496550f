package io.dynamicrag.app.metrics;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.CatalogEntry;
import io.dynamicrag.processing.index.IndexMaintenance;
import io.dynamicrag.processing.index.IndexMaintenanceJob;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.LanceTenantCatalog;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.RetainedVersions;
import io.dynamicrag.processing.index.TenantDatasets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.index.IndexType;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The maintenance counters follow one sweep over a generation's three datasets (real Lance, temp directory). */
class IndexMaintenanceMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldCountThePassCompactionsAndRemovedVersionsOfEachKindOfDataset() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IndexSpace space = new IndexSpace(TenantId.random(), 0, "test-model", 2);
        try (TenantDatasets datasets = new TenantDatasets(dataDir, new LanceTenantChunkIndex.Settings(4,
                Duration.ofMinutes(30), Duration.ZERO, new IndexMaintenance.Settings(1_000, IndexType.IVF_HNSW_SQ,
                2, 0.1, Duration.ZERO)), RetainedVersions.LATEST_ONLY);
             IndexMaintenanceJob job = new IndexMaintenanceJob(datasets, Duration.ofHours(1), 1_000,
                     Duration.ofHours(1), Clock.systemUTC())) {
            IndexMaintenanceMetrics.register(meters, job);
            LanceTenantChunkIndex index = new LanceTenantChunkIndex(datasets);
            LanceTenantCatalog catalog = new LanceTenantCatalog(datasets);
            for (int i = 0; i < 3; i++) {
                DocumentId document = DocumentId.random();
                float[] vector = {1, i};
                index.replaceVersion(space, document, 1, List.of(new IndexedChunk(0, "t", "text " + i, vector)));
                catalog.put(space, new CatalogEntry(document, 1, "t", "txt", null, "text " + i, vector));
            }
            assertThat(count(meters, IndexMaintenanceMetrics.PASSES, "catalog")).isZero();

            assertThat(job.sweep()).isEqualTo(1);

            for (String dataset : List.of("chunks", "versions", "catalog")) {
                assertThat(count(meters, IndexMaintenanceMetrics.PASSES, dataset)).as(dataset).isEqualTo(1);
                assertThat(count(meters, IndexMaintenanceMetrics.COMPACTIONS, dataset)).as(dataset).isEqualTo(1);
                assertThat(count(meters, IndexMaintenanceMetrics.VERSIONS_REMOVED, dataset)).as(dataset)
                        .isPositive();
                assertThat(count(meters, IndexMaintenanceMetrics.BYTES_REMOVED, dataset)).as(dataset).isPositive();
            }
        }
    }

    private static double count(SimpleMeterRegistry meters, String name, String dataset) {
        return meters.get(name).tag("dataset", dataset).functionCounter().count();
    }
}
