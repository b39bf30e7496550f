package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantConfigurationQuery;
import io.dynamicrag.processing.readmodel.ReadModelQueries;
import org.springframework.stereotype.Component;

/**
 * A tenant's chunking configuration, asked of the query side ({@link FindTenantConfigurationQuery}); the seed's
 * defaults (1000/200, fixed) for a tenant it does not know. One query per chunk step (per document, never per
 * chunk), deliberately not cached: a configuration change must apply to the very next document on every worker,
 * and no event reaches every node to invalidate a cache (a tracking processor hands each event to one node); the
 * answer is one primary-key lookup, next to a step that embeds the document's chunks.
 */
@Component
class TenantChunkingSettings {

    static final int DEFAULT_SIZE = 1000;
    static final int DEFAULT_OVERLAP = 200;
    static final String DEFAULT_STRATEGY = "fixed";

    private final ReadModelQueries queries;

    TenantChunkingSettings(ReadModelQueries queries) {
        this.queries = queries;
    }

    Settings forTenant(TenantId tenant) {
        return queries.optional(new FindTenantConfigurationQuery(tenant), TenantConfiguration.class)
                .map(c -> new Settings(c.chunkingSize(), c.chunkingOverlap(), c.chunkingStrategy()))
                .orElse(new Settings(DEFAULT_SIZE, DEFAULT_OVERLAP, DEFAULT_STRATEGY));
    }

    record Settings(int size, int overlap, String strategy) {
    }
}
