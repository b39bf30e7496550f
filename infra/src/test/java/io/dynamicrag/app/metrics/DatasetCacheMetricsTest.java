package io.dynamicrag.app.metrics;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexMaintenance;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.RetainedVersions;
import io.dynamicrag.processing.index.TenantDatasets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.index.IndexType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-handle gauges follow the read cache on real Lance datasets: bounded by its size, zero once closed; the
 * session's cache bytes and the Arrow allocator's bytes are read while open and 0 after (no crash on a closed session).
 */
class DatasetCacheMetricsTest {

    private static final int CACHE_SIZE = 2;

    @TempDir
    Path dataDir;

    @Test
    void shouldCountTheOpenHandlesUpToTheCacheSizeAndNoneAfterClose() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TenantDatasets datasets = new TenantDatasets(dataDir, new LanceTenantChunkIndex.Settings(CACHE_SIZE,
                Duration.ofMinutes(30), Duration.ZERO, new IndexMaintenance.Settings(1_000, IndexType.IVF_HNSW_SQ,
                16, 0.1, Duration.ZERO)), RetainedVersions.LATEST_ONLY);
        try {
            DatasetCacheMetrics.register(meters, datasets);
            LanceTenantChunkIndex index = new LanceTenantChunkIndex(datasets);
            assertThat(gauge(meters, DatasetCacheMetrics.OPEN)).isZero();

            // five tenants, each searched twice: never more open than the cache holds, one open per tenant
            for (int tenant = 0; tenant < 5; tenant++) {
                IndexSpace space = new IndexSpace(TenantId.random(), 0, "test-model", 2);
                index.replaceVersion(space, DocumentId.random(), 1,
                        List.of(new IndexedChunk(0, "t", "text " + tenant, new float[] {1, tenant})));
                for (int query = 0; query < 2; query++) {
                    assertThat(index.nearest(space, new float[] {1, 0}, 3)).hasSize(1);
                }
                assertThat(gauge(meters, DatasetCacheMetrics.OPEN)).as("after tenant %d", tenant)
                        .isBetween(1.0, (double) CACHE_SIZE);
            }
            assertThat(gauge(meters, DatasetCacheMetrics.CACHED)).isEqualTo(CACHE_SIZE);
            assertThat(meters.get(DatasetCacheMetrics.OPENS).functionCounter().count()).isEqualTo(5);
            assertThat(gauge(meters, DatasetCacheMetrics.SESSION_BYTES)).as("metadata of the datasets read")
                    .isPositive();
            assertThat(gauge(meters, DatasetCacheMetrics.ARROW_BYTES)).as("no batch left unreleased").isZero();
        } finally {
            datasets.close();
        }
        assertThat(gauge(meters, DatasetCacheMetrics.OPEN)).as("every handle closed with the cache").isZero();
        assertThat(gauge(meters, DatasetCacheMetrics.SESSION_BYTES)).as("read as 0 once closed").isZero();
    }

    private static double gauge(SimpleMeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }
}
