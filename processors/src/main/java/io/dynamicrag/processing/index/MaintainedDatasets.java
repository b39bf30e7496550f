package io.dynamicrag.processing.index;

import java.util.List;
import java.util.Map;

/**
 * The index generations {@link IndexMaintenanceJob} maintains, and how one pass over a generation's datasets runs
 * under the tenant's write lock.
 */
public interface MaintainedDatasets {

    /** Every index generation with a committed {@code chunks.lance}, named by that dataset. */
    List<MaintainedDataset> list();

    /**
     * The latest committed version of each of the generation's datasets, by file name (cheap: used to skip
     * generations unchanged since their last pass; compared with {@link IndexMaintenance.Outcome#versions()}).
     */
    Map<String, Long> latestVersions(MaintainedDataset generation);

    /** One pass over the generation under its tenant's write lock; null when it does not exist (any more). */
    IndexMaintenance.Outcome maintain(MaintainedDataset generation);

    /** Another's datasets, passed on: a pass runs as theirs unless {@link #maintain} is overridden (e.g. locked). */
    interface Forwarding extends MaintainedDatasets {

        MaintainedDatasets maintained();

        @Override
        default List<MaintainedDataset> list() {
            return maintained().list();
        }

        @Override
        default Map<String, Long> latestVersions(MaintainedDataset generation) {
            return maintained().latestVersions(generation);
        }

        @Override
        default IndexMaintenance.Outcome maintain(MaintainedDataset generation) {
            return maintained().maintain(generation);
        }
    }
}
