package io.dynamicrag.processing.index;

import java.util.Objects;

/**
 * A view on the {@link TenantDatasets} (the chunk index, the catalog): on shared ones, which their owner closes, or
 * on ones it created for itself, which it closes with itself.
 */
abstract class OnTenantDatasets implements AutoCloseable {

    final TenantDatasets datasets;
    private final boolean ownsDatasets;

    OnTenantDatasets(TenantDatasets datasets, boolean ownsDatasets) {
        this.datasets = Objects.requireNonNull(datasets, "datasets");
        this.ownsDatasets = ownsDatasets;
    }

    /** Closes the datasets when this view created them. */
    @Override
    public void close() {
        if (ownsDatasets) {
            datasets.close();
        }
    }
}
