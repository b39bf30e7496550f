package io.dynamicrag.kernel.tenancy.api.query;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Objects;

/**
 * The tenant's current configuration ({@code customer_config}, kept by the subscribing tenant projection in the
 * command's transaction, so a change is seen by the very next query). Answer: an optional
 * {@link io.dynamicrag.kernel.tenancy.api.TenantConfiguration}, empty for an unknown tenant.
 */
public record FindTenantConfigurationQuery(TenantId tenantId) {

    public FindTenantConfigurationQuery {
        Objects.requireNonNull(tenantId, "tenantId");
    }
}
