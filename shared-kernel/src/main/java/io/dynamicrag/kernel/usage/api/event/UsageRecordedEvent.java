package io.dynamicrag.kernel.usage.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One metered figure: {@code quantity} of {@code metricType} costing {@code costUsd}, for {@code documentId} when
 * it belongs to one. {@code details} say what was measured (model, endpoint, version, ...); never a secret.
 */
@Revision("1")
public record UsageRecordedEvent(
        String ledgerId,
        UUID usageId,
        TenantId tenantId,
        UsageMetric metricType,
        long quantity,
        BigDecimal costUsd,
        DocumentId documentId,
        String sourceEventId,
        Map<String, String> details,
        Instant occurredAt) {

    public UsageRecordedEvent {
        if (costUsd == null) {
            costUsd = BigDecimal.ZERO;
        }
        details = details == null ? Map.of() : details;
    }
}
