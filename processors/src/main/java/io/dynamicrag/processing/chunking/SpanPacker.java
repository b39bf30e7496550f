package io.dynamicrag.processing.chunking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs atoms (trimmed, ordered, non-overlapping spans, each at most {@code size} long) greedily into chunks of at
 * most {@code size} characters, measured from the first atom's start to the last atom's end in the original text.
 *
 * <p><b>Overlap.</b> When a chunk is full, the next one starts with the longest <em>proper</em> suffix of the chunk's
 * own atoms whose span (from its start to the chunk's end) is at most {@code overlap} characters. When the chunk's
 * last atom alone is longer than that, the suffix may start at one of that atom's inner boundaries instead
 * ({@link InnerBoundaries}, e.g. the sentences of a paragraph). The repeated text is dropped again from the front,
 * boundary by boundary, when it would not leave room for the next atom: atoms are never cut to make room for
 * overlap, and every chunk holds at least one atom the previous chunk did not.
 */
final class SpanPacker {

    /** Where inside an atom a chunk may start when repeating the tail of the previous chunk. */
    @FunctionalInterface
    interface InnerBoundaries {
        /** Adds to {@code out} the start positions strictly inside {@code [start, end)}, ascending. */
        void starts(int start, int end, Spans out);
    }

    private SpanPacker() {
    }

    static List<Chunk> pack(String text, Spans atoms, int size, int overlap, InnerBoundaries inner) {
        int n = atoms.size();
        List<Chunk> chunks = new ArrayList<>();
        int[] candidates = new int[16]; // overlap starts for the next chunk, ascending
        int candidateCount = 0;
        Spans innerStarts = new Spans();
        int i = 0;
        while (i < n) {
            int chunkStart = atoms.start(i);
            for (int c = 0; c < candidateCount; c++) {
                if (atoms.end(i) - candidates[c] <= size) {
                    chunkStart = candidates[c];
                    break;
                }
            }
            int j = i + 1;
            while (j < n && atoms.end(j) - chunkStart <= size) {
                j++;
            }
            int chunkEnd = atoms.end(j - 1);
            chunks.add(new Chunk(chunks.size(), chunkStart, chunkEnd, text.substring(chunkStart, chunkEnd)));
            if (j == n) {
                break;
            }
            candidateCount = 0;
            if (overlap > 0) {
                int limit = chunkEnd - overlap;
                // walk back over this chunk's new atoms, collecting (descending) starts that keep the tail <= overlap
                int k = j - 1;
                while (k >= i && atoms.start(k) >= limit && atoms.start(k) > chunkStart) {
                    candidates = push(candidates, candidateCount++, atoms.start(k));
                    k--;
                }
                if (k >= i && inner != null) {
                    innerStarts.clear();
                    inner.starts(atoms.start(k), atoms.end(k), innerStarts);
                    for (int s = innerStarts.size() - 1; s >= 0; s--) {
                        int at = innerStarts.start(s);
                        if (at < limit) {
                            break;
                        }
                        if (at > chunkStart && at > atoms.start(k) && at < atoms.end(k)) {
                            candidates = push(candidates, candidateCount++, at);
                        }
                    }
                }
                reverse(candidates, candidateCount);
            }
            i = j;
        }
        return chunks;
    }

    private static int[] push(int[] array, int index, int value) {
        int[] target = index == array.length ? Arrays.copyOf(array, index * 2) : array;
        target[index] = value;
        return target;
    }

    private static void reverse(int[] array, int count) {
        for (int a = 0, b = count - 1; a < b; a++, b--) {
            int t = array[a];
            array[a] = array[b];
            array[b] = t;
        }
    }
}
