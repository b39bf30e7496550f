package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;

import java.nio.file.Path;
import java.util.Objects;

/** One tenant chunk dataset that maintenance looks after: the tenant, its index generation, the dataset path. */
public record MaintainedDataset(TenantId tenant, long generation, Path path) {

    public MaintainedDataset {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(path, "path");
    }
}
