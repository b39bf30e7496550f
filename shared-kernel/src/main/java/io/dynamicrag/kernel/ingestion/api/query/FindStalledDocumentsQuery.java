package io.dynamicrag.kernel.ingestion.api.query;

import java.time.Duration;
import java.util.Objects;

/**
 * Documents of any tenant still processing whose status has not changed for {@code quietFor}, least recently
 * changed first, at most {@code limit}. Not a tenant's question: the pipeline's stall recovery asks it on the
 * system's behalf, and the answer holds document ids only. Answer: a list of
 * {@link io.dynamicrag.kernel.ids.DocumentId}.
 */
public record FindStalledDocumentsQuery(Duration quietFor, int limit) {

    public FindStalledDocumentsQuery {
        Objects.requireNonNull(quietFor, "quietFor");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
