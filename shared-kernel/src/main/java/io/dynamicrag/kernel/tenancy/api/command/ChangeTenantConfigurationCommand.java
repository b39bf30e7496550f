package io.dynamicrag.kernel.tenancy.api.command;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Changes some configuration fields; a null field keeps its current value. {@code openAiKey} (null: unchanged) sets
 * or removes the tenant's OpenAI key in the same step, so a model that needs a key and the key itself are validated
 * and applied together.
 */
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
        String chunkingStrategy,
        OpenAiKeyChange openAiKey) {

    public ChangeTenantConfigurationCommand(TenantId tenantId, Integer rateLimitRequestsPerMinute,
                                            Integer rateLimitRequestsPerDay, Integer maxDocuments,
                                            Integer maxFileSizeMb, List<String> allowedDocumentTypes,
                                            Integer chunkingSize, Integer chunkingOverlap, String embeddingModel,
                                            String chunkingStrategy) {
        this(tenantId, rateLimitRequestsPerMinute, rateLimitRequestsPerDay, maxDocuments, maxFileSizeMb,
                allowedDocumentTypes, chunkingSize, chunkingOverlap, embeddingModel, chunkingStrategy, null);
    }

    /** Sets the key (ciphertext and its mask) or, with a null ciphertext, removes it. */
    public record OpenAiKeyChange(String ciphertext, String maskedKey) {
        public boolean removes() {
            return ciphertext == null;
        }
    }
}
