package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record TenantConfigurationChangedEvent(TenantId tenantId, TenantConfiguration configuration, Instant changedAt) {
}
