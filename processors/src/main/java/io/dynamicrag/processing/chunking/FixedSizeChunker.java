package io.dynamicrag.processing.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "fixed" strategy: windows of {@code size} characters, each starting {@code size - overlap} after the
 * previous one. A window that would end inside a word is pulled back to the last whitespace in its final fifth,
 * so words are rarely split; it never shrinks below 80 % of the size, so progress is guaranteed.
 */
public class FixedSizeChunker {

    public List<Chunk> chunk(String text, int size, int overlap) {
        if (size < 1 || overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("chunk size must be positive and overlap smaller than size");
        }
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(start + size, text.length());
            if (end < text.length()) {
                end = backToWhitespace(text, start, end, size);
            }
            String piece = text.substring(start, end).strip();
            if (!piece.isEmpty()) {
                chunks.add(new Chunk(chunks.size(), start, end, piece));
            }
            if (end >= text.length()) {
                break;
            }
            start = Math.max(start + 1, end - overlap);
        }
        return chunks;
    }

    private static int backToWhitespace(String text, int start, int end, int size) {
        int floor = start + (int) (size * 0.8);
        for (int i = end; i > floor; i--) {
            if (Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
        }
        return end;
    }
}
