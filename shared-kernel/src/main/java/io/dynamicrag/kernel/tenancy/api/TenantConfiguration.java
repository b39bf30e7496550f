package io.dynamicrag.kernel.tenancy.api;

import java.util.List;

/** A tenant's limits and processing settings (the seed's {@code customer_config}), always complete. */
public record TenantConfiguration(
        int rateLimitRequestsPerMinute,
        int rateLimitRequestsPerDay,
        int maxDocuments,
        int maxFileSizeMb,
        List<String> allowedDocumentTypes,
        int chunkingSize,
        int chunkingOverlap,
        String embeddingModel,
        String chunkingStrategy) {

    public static final String LOCAL_EMBEDDING_MODEL = "all-minilm-l6-v2";
    /** Models served by OpenAI (or an OpenAI-compatible server) with the tenant's own key. */
    public static final List<String> OPENAI_EMBEDDING_MODELS =
            List.of("text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002");
    public static final String DEFAULT_CHUNKING_STRATEGY = "fixed";

    /** Payloads stored before {@code chunking_strategy} existed read as the seed's "fixed" strategy. */
    public TenantConfiguration {
        allowedDocumentTypes = List.copyOf(allowedDocumentTypes);
        if (chunkingStrategy == null) {
            chunkingStrategy = DEFAULT_CHUNKING_STRATEGY;
        }
    }

    /** The seed's defaults, with the local embedding model as the product's default. */
    public static TenantConfiguration defaults() {
        return new TenantConfiguration(60, 10_000, 10_000, 50, List.of("pdf", "txt", "html", "md"), 1000, 200,
                LOCAL_EMBEDDING_MODEL, DEFAULT_CHUNKING_STRATEGY);
    }
}
