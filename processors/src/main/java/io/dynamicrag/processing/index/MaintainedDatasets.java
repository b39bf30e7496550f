package io.dynamicrag.processing.index;

import java.util.List;

/** The datasets {@link IndexMaintenanceJob} maintains, and how one pass runs under that dataset's writer lock. */
public interface MaintainedDatasets {

    /** Every committed tenant chunk dataset. */
    List<MaintainedDataset> list();

    /** The latest committed version of the dataset (cheap: used to skip datasets unchanged since their last pass). */
    long latestVersion(MaintainedDataset dataset);

    /** One maintenance pass under the dataset's write lock; null when the dataset does not exist (any more). */
    IndexMaintenance.Outcome maintain(MaintainedDataset dataset);
}
