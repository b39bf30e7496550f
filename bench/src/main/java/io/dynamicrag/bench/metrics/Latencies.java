package io.dynamicrag.bench.metrics;

import java.util.Arrays;

/** Collects latencies in nanoseconds and reports nearest-rank percentiles in milliseconds. */
public final class Latencies {

    private long[] nanos = new long[256];
    private int size;

    public synchronized void add(long elapsedNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = elapsedNanos;
    }

    public synchronized int count() {
        return size;
    }

    /** Nearest-rank percentile (p in 0..100) in milliseconds. */
    public synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
