package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.DocumentId;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Restrictions applied before top-k: only these documents, this document type, documents whose metadata holds every
 * given key with the given value (compared as text), created in [createdAfter, createdBefore). Null means "no
 * restriction" for each part.
 */
public record SearchFilters(
        List<DocumentId> documentIds,
        String docType,
        Map<String, String> metadata,
        Instant createdAfter,
        Instant createdBefore) {

    public SearchFilters {
        documentIds = documentIds == null ? null : List.copyOf(documentIds);
        metadata = metadata == null ? null : Map.copyOf(metadata);
    }

    public static SearchFilters none() {
        return new SearchFilters(null, null, null, null, null);
    }

    public boolean isEmpty() {
        return documentIds == null && docType == null && (metadata == null || metadata.isEmpty())
                && createdAfter == null && createdBefore == null;
    }
}
