package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.TenantId;

/**
 * A unit of pipeline work (parse, chunk, embed, index) for one tenant. The command bus runs these on the pipeline
 * workers, taking turns between tenants, instead of in the caller's thread.
 */
public interface PipelineStep {

    TenantId tenantId();
}
