package io.dynamicrag.processing.index;

import java.util.List;

/** The datasets to maintain, each pass holding its tenant's cluster-wide write lock ({@link TenantWriteLocks}). */
final class LockedMaintainedDatasets implements MaintainedDatasets {

    private final MaintainedDatasets datasets;
    private final TenantWriteLocks locks;

    LockedMaintainedDatasets(MaintainedDatasets datasets, TenantWriteLocks locks) {
        this.datasets = datasets;
        this.locks = locks;
    }

    @Override
    public List<MaintainedDataset> list() {
        return datasets.list();
    }

    @Override
    public long latestVersion(MaintainedDataset dataset) {
        return datasets.latestVersion(dataset);
    }

    @Override
    public IndexMaintenance.Outcome maintain(MaintainedDataset dataset) {
        return locks.whileHolding(dataset.tenant(), () -> datasets.maintain(dataset));
    }
}
