package io.dynamicrag.bench.metrics;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Standard ranking metrics over a ranked list of ids (best first, no duplicates) and graded judgements. */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /**
     * nDCG@k with exponential gain {@code 2^g - 1} and {@code log2(rank + 1)} discount; the ideal ranking sorts the
     * judged documents by gain. A query without judged documents scores 0 (callers skip such queries).
     */
    public static <T> double ndcgAt(int k, List<T> ranking, Map<T, Integer> gains) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += (Math.pow(2, gains.getOrDefault(ranking.get(i), 0)) - 1) / log2(i + 2);
        }
        List<Integer> ideal = gains.values().stream().sorted((a, b) -> b - a).limit(k).toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += (Math.pow(2, ideal.get(i)) - 1) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** Share of the relevant ids found in the first k of the ranking. */
    public static <T> double recallAt(int k, List<T> ranking, Collection<T> relevant) {
        if (relevant.isEmpty()) {
            return 0;
        }
        Set<T> top = new HashSet<>(ranking.subList(0, Math.min(k, ranking.size())));
        return relevant.stream().filter(top::contains).count() / (double) relevant.size();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
