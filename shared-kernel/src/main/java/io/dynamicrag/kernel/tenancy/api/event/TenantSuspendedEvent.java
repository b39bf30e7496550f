package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

@Revision("1")
public record TenantSuspendedEvent(TenantId tenantId, String reason, String actor, Instant suspendedAt) {
}
