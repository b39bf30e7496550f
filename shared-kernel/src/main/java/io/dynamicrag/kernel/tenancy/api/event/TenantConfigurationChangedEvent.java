package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Revision 2 added {@code chunkingStrategy} to the configuration (revision 1 payloads read as "fixed"). */
@Revision("2")
public record TenantConfigurationChangedEvent(TenantId tenantId, TenantConfiguration configuration, Instant changedAt) {
}
