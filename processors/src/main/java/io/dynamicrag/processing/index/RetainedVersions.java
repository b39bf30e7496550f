package io.dynamicrag.processing.index;

import java.util.OptionalLong;

/**
 * Which old Lance versions of a tenant's dataset ({@code chunks.lance}, {@code versions.lance} or
 * {@code catalog.lance}: the path tells) must stay readable. Version cleanup never removes a version at
 * or after the one returned here, so an {@code as_of_version} search that checks out a recorded Lance version keeps
 * working for as long as the read model refers to it. The search side, which records those versions, implements this
 * port; without it only the latest version (and those younger than the retention) is kept.
 */
@FunctionalInterface
public interface RetainedVersions {

    /** Nothing old is needed: keep the latest version and those younger than the retention period. */
    RetainedVersions LATEST_ONLY = dataset -> OptionalLong.empty();

    /**
     * The oldest Lance version of this dataset (tenant, index generation, path) that a reader may still open, or empty
     * when no old version is needed. Called by maintenance right before cleanup, under the tenant's write lock.
     */
    OptionalLong oldestRetained(MaintainedDataset dataset);
}
