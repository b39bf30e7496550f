package io.dynamicrag.processing.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reciprocal rank fusion (Cormack, Clarke, Büttcher 2009): an item's fused score is the sum over the ranked lists
 * of {@code 1 / (k + rank)}, rank starting at 1. Only ranks count, so a BM25 score and a cosine similarity never
 * have to be put on one scale; an item near the top of either list rises, one near the top of both rises most.
 */
public final class ReciprocalRankFusion {

    /** The constant of the original paper; it damps the weight of the very first ranks. */
    public static final int DEFAULT_K = 60;

    private final int k;

    public ReciprocalRankFusion(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, was " + k);
        }
        this.k = k;
    }

    public ReciprocalRankFusion() {
        this(DEFAULT_K);
    }

    /** An item and its fused score. */
    public record Fused<T>(T item, double score) {
    }

    /**
     * Fuses ranked lists (best first) of items identified by {@code key}; an item in several lists keeps the
     * instance of the first list that holds it. The result is ordered by fused score, ties by first appearance.
     */
    @SafeVarargs
    public final <T, K> List<Fused<T>> fuse(Function<T, K> key, List<T>... rankings) {
        Map<K, T> items = new LinkedHashMap<>();
        Map<K, Double> scores = new LinkedHashMap<>();
        for (List<T> ranking : rankings) {
            for (int rank = 1; rank <= ranking.size(); rank++) {
                T item = ranking.get(rank - 1);
                K id = key.apply(item);
                items.putIfAbsent(id, item);
                scores.merge(id, 1.0 / (k + rank), Double::sum);
            }
        }
        List<Fused<T>> fused = new ArrayList<>(items.size());
        items.forEach((id, item) -> fused.add(new Fused<>(item, scores.get(id))));
        // List.sort is stable: equal scores keep the order of first appearance
        fused.sort(Comparator.comparingDouble((Fused<T> f) -> f.score()).reversed());
        return fused;
    }
}
