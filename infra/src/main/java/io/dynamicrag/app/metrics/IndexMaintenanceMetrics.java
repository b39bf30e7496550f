package io.dynamicrag.app.metrics;

import io.dynamicrag.processing.index.IndexMaintenanceJob;
import io.dynamicrag.processing.index.TenantDataset;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What this node's index maintenance did since it started, per kind of tenant dataset ({@code dataset} tag:
 * {@code chunks}, {@code versions}, {@code catalog}): passes, compactions, old versions removed and the bytes they
 * held. Only worker processes run maintenance; elsewhere none of these is registered.
 */
@Component
class IndexMaintenanceMetrics {

    static final String PASSES = "rag.index.maintenance.passes";
    static final String COMPACTIONS = "rag.index.maintenance.compactions";
    static final String VERSIONS_REMOVED = "rag.index.maintenance.versions.removed";
    static final String BYTES_REMOVED = "rag.index.maintenance.bytes.removed";

    IndexMaintenanceMetrics(MeterRegistry meters, ObjectProvider<IndexMaintenanceJob> job) {
        job.ifAvailable(maintenance -> register(meters, maintenance));
    }

    static void register(MeterRegistry meters, IndexMaintenanceJob job) {
        for (TenantDataset dataset : TenantDataset.values()) {
            IndexMaintenanceJob.Totals totals = job.totals(dataset.fileName());
            String tag = dataset.name().toLowerCase(Locale.ROOT);
            counter(meters, PASSES, "Maintenance passes over tenant datasets", tag, totals,
                    IndexMaintenanceJob.Totals::passes);
            counter(meters, COMPACTIONS, "Compactions of tenant datasets", tag, totals,
                    IndexMaintenanceJob.Totals::compactions);
            counter(meters, VERSIONS_REMOVED, "Old Lance versions of tenant datasets cleaned up", tag, totals,
                    IndexMaintenanceJob.Totals::versionsRemoved);
            counter(meters, BYTES_REMOVED, "Bytes freed by cleaning up old versions of tenant datasets", tag, totals,
                    IndexMaintenanceJob.Totals::bytesRemoved);
        }
    }

    private static void counter(MeterRegistry meters, String name, String description, String dataset,
                                IndexMaintenanceJob.Totals totals, ToDoubleFunction<IndexMaintenanceJob.Totals> value) {
        FunctionCounter.builder(name, totals, value).description(description).tag("dataset", dataset)
                .register(meters);
    }
}
