package io.dynamicrag.processing.chunking;

import java.util.Arrays;

/** A growable list of {@code [start, end)} character ranges, kept as two int arrays (millions are cheap). */
final class Spans {

    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int size;

    void add(int start, int end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    void addAll(Spans other, int fromIndex) {
        for (int i = fromIndex; i < other.size; i++) {
            add(other.starts[i], other.ends[i]);
        }
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }
}
