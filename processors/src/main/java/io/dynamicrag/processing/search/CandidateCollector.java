package io.dynamicrag.processing.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Takes ranked candidates from an index and keeps only the visible ones (the document's visible version), fetching
 * deeper until {@code wanted} visible ones are found or the index has no more. Chunks of a superseded version (until
 * maintenance deletes them) or of a newer version not yet active can push visible rows below the first page; the
 * deeper fetch is what guarantees k results whenever k exist.
 */
final class CandidateCollector {

    /** Extra rows fetched on the first try, so a few stale rows do not cost a second round trip. */
    static final int OVERFETCH = 20;
    private static final int GROWTH = 4;

    private CandidateCollector() {
    }

    /** A candidate kept, with what the read model says about its document. */
    record Visible<T>(T candidate, VisibleDocument document) {
    }

    /**
     * @param fetch      the index query: the best n candidates (fewer when the index has no more)
     * @param documentOf a candidate's document id
     * @param versionOf  a candidate's version
     * @param visibility the visible documents among the given ones
     */
    static <T> List<Visible<T>> collect(int wanted, IntFunction<List<T>> fetch, Function<T, UUID> documentOf,
                                        Function<T, Integer> versionOf,
                                        Function<Collection<UUID>, Map<UUID, VisibleDocument>> visibility) {
        if (wanted <= 0) {
            return List.of();
        }
        long depth = (long) wanted + OVERFETCH;
        while (true) {
            int n = (int) Math.min(Integer.MAX_VALUE, depth);
            List<T> candidates = fetch.apply(n);
            Map<UUID, VisibleDocument> visible = visibility.apply(candidates.stream().map(documentOf).toList());
            List<Visible<T>> kept = new ArrayList<>(Math.min(wanted, candidates.size()));
            for (T candidate : candidates) {
                VisibleDocument document = visible.get(documentOf.apply(candidate));
                if (document != null && document.version() == versionOf.apply(candidate)) {
                    kept.add(new Visible<>(candidate, document));
                    if (kept.size() == wanted) {
                        return kept;
                    }
                }
            }
            if (candidates.size() < n || n == Integer.MAX_VALUE) {
                return kept;
            }
            depth *= GROWTH;
        }
    }
}
