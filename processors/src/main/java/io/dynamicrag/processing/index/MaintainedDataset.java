package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One tenant dataset that maintenance looks after: the tenant, its index generation, the dataset path. The job and
 * {@link MaintainedDatasets} name a whole generation by its {@code chunks.lance}; the passes over its
 * {@code versions.lance} and {@code catalog.lance} (and {@link RetainedVersions}) see those datasets' own paths.
 */
public record MaintainedDataset(TenantId tenant, long generation, Path path) {

    public MaintainedDataset {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(path, "path");
    }
}
