package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.embedding.EmbeddingModels;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One generation of a tenant's search index: the directory that holds its Lance datasets, and the embedding model
 * (with its vector size) every vector in them comes from. A tenant searches exactly one generation at a time; a change
 * of embedding model builds the next generation beside it and switches over once it is complete, so vectors of two
 * models never meet in one dataset or one query.
 *
 * <p>Generation 0 lives at {@code <data-dir>/customers/<tenant>/} (where every tenant starts, with the local model);
 * generation n at {@code <data-dir>/customers/<tenant>/generations/<n>/}.
 */
public record IndexSpace(TenantId tenant, long generation, String embeddingModel, int dimensions) {

    public IndexSpace {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative: " + generation);
        }
        if (dimensions <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + dimensions);
        }
    }

    /** Where every tenant starts: generation 0 with the default (local) model. */
    public static IndexSpace initial(TenantId tenant) {
        return new IndexSpace(tenant, 0, EmbeddingModels.DEFAULT.modelName(), EmbeddingModels.DEFAULT.dimensions());
    }

    /** The next generation, for the given model. */
    public IndexSpace next(EmbeddingModels model) {
        return new IndexSpace(tenant, generation + 1, model.modelName(), model.dimensions());
    }

    /** The directory of the tenant (every generation lies below it). */
    public static Path tenantDirectory(Path dataDir, TenantId tenant) {
        return dataDir.resolve("customers").resolve(tenant.value().toString());
    }

    /** The directory holding this generation's datasets ({@code chunks.lance}, ...). */
    public Path directory(Path dataDir) {
        Path tenantDir = tenantDirectory(dataDir, tenant);
        return generation == 0 ? tenantDir : tenantDir.resolve("generations").resolve(Long.toString(generation));
    }
}
