package io.dynamicrag.bench.speed;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** The ground truth for vector search: cosine similarity against every vector, in plain Java. */
final class ExactSearch {

    private final float[][] unit;

    ExactSearch(float[][] vectors) {
        unit = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            unit[i] = normalised(vectors[i]);
        }
    }

    /** Row numbers of the k most similar vectors, most similar first. */
    List<Integer> top(float[] query, int k) {
        return top(query, k, 0, unit.length);
    }

    /** Like {@link #top(float[], int)} among the rows {@code from} (inclusive) to {@code to} (exclusive). */
    List<Integer> top(float[] query, int k, int from, int to) {
        float[] q = normalised(query);
        PriorityQueue<double[]> best = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int row = from; row < to; row++) {
            float[] v = unit[row];
            double dot = 0;
            for (int j = 0; j < v.length; j++) {
                dot += v[j] * q[j];
            }
            if (best.size() < k) {
                best.add(new double[] {dot, row});
            } else if (dot > best.peek()[0]) {
                best.poll();
                best.add(new double[] {dot, row});
            }
        }
        List<Integer> rows = new ArrayList<>(best.size());
        while (!best.isEmpty()) {
            rows.add(0, (int) best.poll()[1]);
        }
        return rows;
    }

    static double cosine(float[] a, float[] b) {
        float[] x = normalised(a);
        float[] y = normalised(b);
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        return dot;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * scale;
        }
        return u;
    }
}
