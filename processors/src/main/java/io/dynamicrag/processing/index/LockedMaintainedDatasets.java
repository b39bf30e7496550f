package io.dynamicrag.processing.index;

/** The datasets to maintain, each pass holding its tenant's cluster-wide write lock ({@link TenantWriteLocks}). */
final class LockedMaintainedDatasets implements MaintainedDatasets.Forwarding {

    private final MaintainedDatasets datasets;
    private final TenantWriteLocks locks;

    LockedMaintainedDatasets(MaintainedDatasets datasets, TenantWriteLocks locks) {
        this.datasets = datasets;
        this.locks = locks;
    }

    @Override
    public MaintainedDatasets maintained() {
        return datasets;
    }

    @Override
    public IndexMaintenance.Outcome maintain(MaintainedDataset generation) {
        return locks.whileHolding(generation.tenant(), () -> datasets.maintain(generation));
    }
}
