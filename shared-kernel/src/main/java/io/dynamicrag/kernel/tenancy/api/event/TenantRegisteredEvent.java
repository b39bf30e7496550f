package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A tenant signed up. Holds no secret of any kind: auditors read and replay this. */
@Revision("1")
public record TenantRegisteredEvent(TenantId tenantId, String email, String companyName, Instant registeredAt) {
}
