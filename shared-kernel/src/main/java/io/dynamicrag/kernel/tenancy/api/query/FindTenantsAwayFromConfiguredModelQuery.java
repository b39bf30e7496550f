package io.dynamicrag.kernel.tenancy.api.query;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Map;
import java.util.Objects;

/**
 * Tenants whose configured {@code embedding_model} is not the model their search runs on: {@code servingModels}
 * gives it for the tenants that have switched index generation, every other tenant runs on {@code initialModel}.
 * Not a tenant's question: the re-embedding sweep asks it on the system's behalf after a restart or a takeover, and
 * the answer holds tenant ids only. Answer: a list of {@link TenantId}.
 */
public record FindTenantsAwayFromConfiguredModelQuery(Map<TenantId, String> servingModels, String initialModel) {

    public FindTenantsAwayFromConfiguredModelQuery {
        servingModels = Map.copyOf(servingModels);
        Objects.requireNonNull(initialModel, "initialModel");
    }
}
