package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Changes some configuration fields; a null field keeps its current value. */
public record ChangeTenantConfigurationCommand(
        @TargetAggregateIdentifier TenantId tenantId,
        Integer rateLimitRequestsPerMinute,
        Integer rateLimitRequestsPerDay,
        Integer maxDocuments,
        Integer maxFileSizeMb,
        List<String> allowedDocumentTypes,
        Integer chunkingSize,
        Integer chunkingOverlap,
        String embeddingModel,
        String chunkingStrategy) {
}
