package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Re-embedding with {@code embeddingModel} failed for {@code reason}; the previous generation keeps serving. */
@Revision("1")
public record ReembeddingFailedEvent(TenantId tenantId, String embeddingModel, String reason, Instant failedAt) {
}
