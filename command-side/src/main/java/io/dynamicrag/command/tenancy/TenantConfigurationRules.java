package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.command.ChangeTenantConfigurationCommand;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a valid configuration is. Every violation is reported at once, in the API's snake_case field names. */
final class TenantConfigurationRules {

    static final Set<String> DOCUMENT_TYPES = Set.of("pdf", "txt", "html", "md", "docx");
    static final Set<String> EMBEDDING_MODELS = embeddingModels();
    static final Set<String> CHUNKING_STRATEGIES = Set.of("fixed", "paragraph", "semantic");

    private TenantConfigurationRules() {
    }

    private static Set<String> embeddingModels() {
        Set<String> models = new LinkedHashSet<>();
        models.add(TenantConfiguration.LOCAL_EMBEDDING_MODEL);
        models.addAll(TenantConfiguration.OPENAI_EMBEDDING_MODELS);
        return Set.copyOf(models);
    }

    static TenantConfiguration merge(TenantConfiguration current, ChangeTenantConfigurationCommand change) {
        List<String> types = change.allowedDocumentTypes() == null ? current.allowedDocumentTypes()
                : normalise(change.allowedDocumentTypes());
        TenantConfiguration merged = new TenantConfiguration(
                or(change.rateLimitRequestsPerMinute(), current.rateLimitRequestsPerMinute()),
                or(change.rateLimitRequestsPerDay(), current.rateLimitRequestsPerDay()),
                or(change.maxDocuments(), current.maxDocuments()),
                or(change.maxFileSizeMb(), current.maxFileSizeMb()),
                types,
                or(change.chunkingSize(), current.chunkingSize()),
                or(change.chunkingOverlap(), current.chunkingOverlap()),
                change.embeddingModel() == null ? current.embeddingModel()
                        : change.embeddingModel().trim().toLowerCase(Locale.ROOT),
                change.chunkingStrategy() == null ? current.chunkingStrategy()
                        : change.chunkingStrategy().trim().toLowerCase(Locale.ROOT));
        List<String> problems = problems(merged);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(String.join("; ", problems));
        }
        return merged;
    }

    private static List<String> problems(TenantConfiguration c) {
        List<String> problems = new ArrayList<>();
        range(problems, "rate_limit_requests_per_minute", c.rateLimitRequestsPerMinute(), 1, 100_000);
        range(problems, "rate_limit_requests_per_day", c.rateLimitRequestsPerDay(), 1, 100_000_000);
        if (c.rateLimitRequestsPerDay() < c.rateLimitRequestsPerMinute()) {
            problems.add("rate_limit_requests_per_day must not be lower than rate_limit_requests_per_minute");
        }
        range(problems, "max_documents", c.maxDocuments(), 1, 10_000_000);
        range(problems, "max_file_size_mb", c.maxFileSizeMb(), 1, 1024);
        if (c.allowedDocumentTypes().isEmpty()) {
            problems.add("allowed_document_types must name at least one type");
        }
        c.allowedDocumentTypes().stream().filter(t -> !DOCUMENT_TYPES.contains(t)).forEach(t ->
                problems.add("allowed_document_types: unknown type '" + t + "' (supported: "
                        + String.join(", ", DOCUMENT_TYPES.stream().sorted().toList()) + ")"));
        range(problems, "chunking_size", c.chunkingSize(), 100, 8000);
        if (c.chunkingOverlap() < 0 || c.chunkingOverlap() >= c.chunkingSize()) {
            problems.add("chunking_overlap must be at least 0 and smaller than chunking_size ("
                    + c.chunkingSize() + ")");
        }
        if (!EMBEDDING_MODELS.contains(c.embeddingModel())) {
            problems.add("embedding_model: unsupported model '" + c.embeddingModel() + "' (supported: "
                    + String.join(", ", EMBEDDING_MODELS.stream().sorted().toList()) + ")");
        }
        if (!CHUNKING_STRATEGIES.contains(c.chunkingStrategy())) {
            problems.add("chunking_strategy: unknown strategy '" + c.chunkingStrategy() + "' (supported: "
                    + String.join(", ", CHUNKING_STRATEGIES.stream().sorted().toList()) + ")");
        }
        return problems;
    }

    private static List<String> normalise(List<String> types) {
        Set<String> unique = new LinkedHashSet<>();
        for (String type : types) {
            if (type != null) {
                unique.add(type.trim().toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(unique);
    }

    private static void range(List<String> problems, String field, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(field + " must be between " + min + " and " + max);
        }
    }

    private static int or(Integer value, int current) {
        return value == null ? current : value;
    }
}
