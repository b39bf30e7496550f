package io.dynamicrag.kernel.usage;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageMetric;

import java.util.Map;

/**
 * Counts usage measured directly on the request path (API calls, searches over REST or MCP). Never blocks and never
 * fails the caller: counts are added up in memory and recorded as {@code RecordUsageCommand}s every few seconds,
 * one per tenant, metric and details, and once more on shutdown.
 */
public interface UsageMeter {

    void record(TenantId tenant, UsageMetric metric, long quantity, Map<String, String> details);

    /** One search, from {@code channel} ("rest", "mcp"). */
    default void searched(TenantId tenant, String channel) {
        record(tenant, UsageMetric.SEARCH_QUERY, 1, Map.of("channel", channel));
    }
}
