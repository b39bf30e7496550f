package io.dynamicrag.processing.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "fixed" strategy: windows of {@code size} characters, each starting {@code size - overlap} after the
 * previous window's end is decided (so consecutive windows share {@code overlap} characters).
 *
 * <p>A window that would end inside a word is pulled back to the last whitespace in its final fifth, so words are
 * rarely split at a window's end; it never shrinks below 80 % of the size, so progress is guaranteed. A window
 * never ends or starts inside a surrogate pair or a grapheme cluster (combining marks, emoji sequences) when it can
 * avoid it. Words <em>may</em> be cut (at the end of a window without whitespace in its last fifth, and at the start
 * of an overlapping window): that is what distinguishes this strategy from {@code paragraph} and {@code semantic}.
 *
 * <p>The chunk is the window with its surrounding whitespace stripped; {@code start}/{@code end} point at the
 * stripped text (see {@link Chunker}); a window holding only whitespace gives no chunk.
 */
public class FixedSizeChunker implements Chunker {

    public static final String NAME = "fixed";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Chunk> chunk(String text, int size, int overlap) {
        Chunker.checkArguments(text, size, overlap);
        List<Chunk> chunks = new ArrayList<>();
        int length = text.length();
        int start = 0;
        int reach = 0; // the furthest window end so far: everything before it has been covered
        int lastFrom = -1;
        int lastTo = -1;
        while (start < length) {
            int end;
            if (length - start <= size) {
                end = length;
            } else {
                end = Boundaries.cutAtOrBefore(text, start, start + size);
                if (!Character.isWhitespace(text.charAt(end - 1)) && !Character.isWhitespace(text.charAt(end))) {
                    end = backToWhitespace(text, Math.max(start + (int) (size * 0.8), reach), end);
                }
            }
            int from = Boundaries.skipWhitespace(text, start, end);
            int to = Boundaries.trimWhitespaceEnd(text, from, end);
            // a window whose text ends where the previous chunk's did is contained in it (only possible when the
            // overlap is close to the size): skip it so chunks stay strictly ordered
            if (from < to && to > lastTo) {
                chunks.add(new Chunk(chunks.size(), from, to, text.substring(from, to)));
                lastFrom = from;
                lastTo = to;
            }
            reach = Math.max(reach, end);
            if (end >= length) {
                break;
            }
            int next = Math.max(Math.max(start + 1, reach - overlap), lastFrom + 1);
            // never start inside a surrogate pair or cluster; reach is a cut position, so this stops there at worst
            while (next < reach && !Boundaries.isSafe(text, next)) {
                next++;
            }
            start = next;
        }
        return chunks;
    }

    /** The last safe position after whitespace above {@code floor}, or {@code end} when there is none. */
    private static int backToWhitespace(String text, int floor, int end) {
        for (int i = end - 1; i > floor; i--) {
            if (Character.isWhitespace(text.charAt(i - 1)) && Boundaries.isSafe(text, i)) {
                return i;
            }
        }
        return end;
    }
}
