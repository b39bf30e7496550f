package io.dynamicrag.processing.chunking;

import java.util.List;

/**
 * A chunking strategy: cuts a document's parsed text into pieces for embedding. Obtain one through
 * {@link Chunkers#forName(String)}; implementations are stateless, thread-safe and deterministic.
 *
 * <p>Every implementation guarantees, for any text and valid arguments:
 * <ul>
 *   <li>blank text (empty or only whitespace) gives no chunks; otherwise chunks are indexed {@code 0..n-1} in
 *       document order, with strictly increasing {@code start} and strictly increasing {@code end};</li>
 *   <li><b>offsets</b>: {@code text.substring(chunk.start(), chunk.end())} <em>equals</em> {@code chunk.text()}
 *       (the original characters, line endings included), and that text is never empty and neither starts nor
 *       ends with whitespace ({@link Character#isWhitespace(char)}, the definition {@link String#strip()} uses);</li>
 *   <li>{@code chunk.text().length() <= size}, always;</li>
 *   <li>coverage: every non-whitespace character of the text lies inside at least one chunk;</li>
 *   <li>overlap: two consecutive chunks share at most {@code overlap} characters
 *       ({@code previous.end() - next.start() <= overlap}) and share none when {@code overlap == 0};</li>
 *   <li>a chunk boundary never falls inside a UTF-16 surrogate pair.</li>
 * </ul>
 * Sizes are in UTF-16 {@code char}s ({@link String#length()}), as everywhere else in the pipeline.
 */
public interface Chunker {

    /**
     * Cuts {@code text} into chunks.
     *
     * @param size    the largest chunk, in characters; at least 2 (so a surrogate pair always fits)
     * @param overlap how many characters consecutive chunks may repeat; {@code 0 <= overlap < size}
     * @throws IllegalArgumentException when size or overlap are out of range
     */
    List<Chunk> chunk(String text, int size, int overlap);

    /** The strategy's name in the tenant configuration ({@code chunking_strategy}). */
    String name();

    /** Checks the common argument rules; implementations call it first. */
    static void checkArguments(String text, int size, int overlap) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (size < 2) {
            throw new IllegalArgumentException("chunk size must be at least 2 characters, was " + size);
        }
        if (overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException(
                    "chunk overlap must be between 0 and size - 1 (" + (size - 1) + "), was " + overlap);
        }
    }
}
