package io.dynamicrag.kernel.usage.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageLedgers;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Records one usage figure in the tenant's ledger of the UTC day it happened on.
 *
 * @param sourceEventId the event this usage was derived from, when there is one: the ledger records each source
 *                      once, so replaying the source events never counts twice. Null for usage measured directly
 *                      (API calls, searches), which is sent once.
 * @param documentId    the document the usage belongs to, or null
 */
public record RecordUsageCommand(
        @TargetAggregateIdentifier String ledgerId,
        UUID usageId,
        TenantId tenantId,
        UsageMetric metricType,
        long quantity,
        BigDecimal costUsd,
        DocumentId documentId,
        String sourceEventId,
        Map<String, String> details,
        Instant occurredAt) {

    /** Usage measured directly (no source event): a fresh id, no deduplication. */
    public static RecordUsageCommand measured(TenantId tenant, UsageMetric metric, long quantity, BigDecimal costUsd,
                                              Map<String, String> details, Instant occurredAt) {
        return new RecordUsageCommand(UsageLedgers.idOf(tenant, occurredAt), UUID.randomUUID(), tenant, metric,
                quantity, costUsd, null, null, details, occurredAt);
    }

    /**
     * Usage derived from an event: the usage id is a function of the source event and the metric, and the ledger
     * is the one of the source event's day, so sending it again (a replay) names the same record.
     */
    public static RecordUsageCommand derived(String sourceEventId, TenantId tenant, UsageMetric metric,
                                             long quantity, BigDecimal costUsd, DocumentId documentId,
                                             Map<String, String> details, Instant occurredAt) {
        UUID usageId = UUID.nameUUIDFromBytes((metric.code() + ":" + sourceEventId).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        return new RecordUsageCommand(UsageLedgers.idOf(tenant, occurredAt), usageId, tenant, metric, quantity,
                costUsd, documentId, sourceEventId, details, occurredAt);
    }
}
