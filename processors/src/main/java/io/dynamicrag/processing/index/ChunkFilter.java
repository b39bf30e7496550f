package io.dynamicrag.processing.index;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which rows a chunk search may look at, applied before top-k (Lance {@code prefilter}), so a restrictive filter
 * still yields k rows when k match. Rendered to a Lance SQL predicate from UUIDs and ints only, never from free text.
 *
 * @param documents null: any document; else only these
 * @param version   null: any version; else only rows of this version
 */
public record ChunkFilter(Collection<UUID> documents, Integer version) {

    public ChunkFilter {
        documents = documents == null ? null : List.copyOf(documents);
    }

    public static ChunkFilter none() {
        return new ChunkFilter(null, null);
    }

    /** True when no document can pass (an empty id list). */
    public boolean matchesNothing() {
        return documents != null && documents.isEmpty();
    }

    /** The Lance predicate, or null when every row passes. */
    String predicate() {
        StringBuilder predicate = new StringBuilder();
        if (documents != null) {
            // UUID#toString yields only [0-9a-f-]: quoting cannot be broken out of
            predicate.append("document_id IN (")
                    .append(documents.stream().map(id -> "'" + Objects.requireNonNull(id) + "'")
                            .collect(Collectors.joining(", ")))
                    .append(')');
        }
        if (version != null) {
            if (!predicate.isEmpty()) {
                predicate.append(" AND ");
            }
            predicate.append("version = ").append(version.intValue());
        }
        return predicate.isEmpty() ? null : predicate.toString();
    }
}
