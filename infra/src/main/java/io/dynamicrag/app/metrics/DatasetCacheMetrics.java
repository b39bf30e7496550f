package io.dynamicrag.app.metrics;

import io.dynamicrag.processing.index.TenantDatasetCache;
import io.dynamicrag.processing.index.TenantDatasets;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The open Lance dataset handles of this node's read cache: a leak of handles (a lease never closed, an evicted
 * entry never released) shows as an open count that keeps climbing past {@code rag.index.cache-size}, which the soak
 * drill watches next to the process's open file descriptors. Writes and maintenance open short-lived handles of their
 * own, closed when the operation ends, so they are not counted here. The Lance session's caches and the Arrow
 * allocator are native memory the heap metrics do not show.
 */
@Component
class DatasetCacheMetrics {

    static final String OPEN = "rag.index.datasets.open";
    static final String CACHED = "rag.index.datasets.cached";
    static final String OPENS = "rag.index.datasets.opens";
    static final String SESSION_BYTES = "rag.index.session.cache.bytes";
    static final String ARROW_BYTES = "rag.index.arrow.allocated.bytes";

    DatasetCacheMetrics(MeterRegistry meters, ObjectProvider<TenantDatasets> datasets) {
        datasets.ifAvailable(tenantDatasets -> register(meters, tenantDatasets));
    }

    static void register(MeterRegistry meters, TenantDatasets datasets) {
        TenantDatasetCache cache = datasets.datasetCache();
        Gauge.builder(OPEN, cache, TenantDatasetCache::openHandles)
                .description("Lance dataset handles open for reads: the cached ones plus evicted ones still leased")
                .strongReference(true)
                .register(meters);
        Gauge.builder(CACHED, cache, TenantDatasetCache::size)
                .description("Lance dataset handles held by the read cache (at most rag.index.cache-size)")
                .strongReference(true)
                .register(meters);
        FunctionCounter.builder(OPENS, cache, TenantDatasetCache::opens)
                .description("Lance dataset handles the read cache opened (misses and refreshes to a newer version)")
                .register(meters);
        // native memory beside the heap: the soak drill compares the process's RSS with these
        Gauge.builder(SESSION_BYTES, datasets, TenantDatasets::sessionCacheBytes)
                .description("Bytes in the shared Lance session's index and metadata caches (bounded)")
                .baseUnit("bytes")
                .strongReference(true)
                .register(meters);
        Gauge.builder(ARROW_BYTES, datasets, TenantDatasets::arrowAllocatedBytes)
                .description("Bytes allocated by the shared Arrow allocator and not yet released")
                .baseUnit("bytes")
                .strongReference(true)
                .register(meters);
    }
}
