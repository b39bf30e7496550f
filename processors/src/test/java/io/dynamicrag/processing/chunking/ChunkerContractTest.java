package io.dynamicrag.processing.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every chunking strategy promises (see {@link Chunker}); one subclass per strategy. Each invariant is checked
 * on every corpus text with several size/overlap settings, the degenerate overlap of size - 1 included.
 */
abstract class ChunkerContractTest {

    private static final int[][] SETTINGS = {{100, 0}, {100, 20}, {160, 50}, {1000, 200}, {100, 99}};

    /** The strategy under test. */
    protected abstract Chunker chunker();

    /** Whether chunk boundaries must respect words (only a single word longer than the size may be cut). */
    protected boolean keepsWordsWhole() {
        return true;
    }

    static Stream<Arguments> corpusAndSettings() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : ChunkingCorpus.named().keySet()) {
            for (int[] setting : SETTINGS) {
                cases.add(Arguments.of(name, setting[0], setting[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, size {1}, overlap {2}")
    @MethodSource("corpusAndSettings")
    void shouldKeepEveryInvariant(String corpus, int size, int overlap) {
        String text = ChunkingCorpus.named().get(corpus);

        List<Chunk> chunks = chunker().chunk(text, size, overlap);

        assertInvariants(text, chunks, size, overlap);
    }

    @ParameterizedTest(name = "{0}, size {1}, overlap {2}")
    @MethodSource("corpusAndSettings")
    void shouldNeverCutAWordThatFits(String corpus, int size, int overlap) {
        org.junit.jupiter.api.Assumptions.assumeTrue(keepsWordsWhole(), "this strategy may cut words");
        String text = ChunkingCorpus.named().get(corpus);

        List<Chunk> chunks = chunker().chunk(text, size, overlap);

        assertNoWordCut(text, chunks, size);
    }

    @ParameterizedTest(name = "{0}, size {1}, overlap {2}")
    @MethodSource("corpusAndSettings")
    void shouldBeDeterministic(String corpus, int size, int overlap) {
        String text = ChunkingCorpus.named().get(corpus);

        List<Chunk> first = chunker().chunk(text, size, overlap);
        List<Chunk> again = Chunkers.forName(chunker().name()).chunk(new String(text.toCharArray()), size, overlap);

        assertThat(again).isEqualTo(first);
    }

    @ParameterizedTest(name = "size {0}, overlap {1}")
    @MethodSource("overlapSettings")
    void shouldOverlapConsecutiveChunksWhenTheContentAllows(int size, int overlap) {
        // paragraphs of 1-3 sentences of 20-90 characters: a whole sentence always fits in the overlap
        String text = ChunkingCorpus.prose(99, 60, 1, 3, 20, 90).text();

        List<Chunk> chunks = chunker().chunk(text, size, overlap);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertInvariants(text, chunks, size, overlap);
        for (int i = 1; i < chunks.size(); i++) {
            Chunk previous = chunks.get(i - 1);
            Chunk next = chunks.get(i);
            assertThat(next.start()).as("chunk %d starts inside chunk %d", i, i - 1).isLessThan(previous.end());
            assertThat(previous.text()).endsWith(text.substring(next.start(), previous.end()));
            assertThat(next.text()).startsWith(text.substring(next.start(), previous.end()));
        }
    }

    static Stream<Arguments> overlapSettings() {
        return Stream.of(Arguments.of(400, 100), Arguments.of(1000, 200), Arguments.of(600, 250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\n\t \r\n", "\u2003\u3000 \u2028"})
    void shouldGiveNoChunksForBlankText(String blank) {
        assertThat(chunker().chunk(blank, 100, 20)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello.", "  Hello world, this is short.  \r\n", "\n\n# Title\n\nOne line.\n", "中文。",
            "😀", "a"})
    void shouldGiveOneStrippedChunkForShortText(String shortText) {
        List<Chunk> chunks = chunker().chunk(shortText, 100, 20);

        assertThat(chunks).hasSize(1);
        Chunk chunk = chunks.get(0);
        assertThat(chunk.index()).isZero();
        assertThat(chunk.text()).isEqualTo(shortText.strip());
        assertThat(shortText.substring(chunk.start(), chunk.end())).isEqualTo(chunk.text());
    }

    @Test
    void shouldFitTextOfExactlyTheSizeInOneChunk() {
        String text = "word ".repeat(40).strip(); // 199 characters

        assertThat(chunker().chunk(text, 199, 50)).extracting(Chunk::text).containsExactly(text);
        assertThat(chunker().chunk(text, 198, 50)).hasSizeGreaterThan(1);
    }

    @Test
    void shouldNeverSplitSurrogatePairsOrEmojiSequences() {
        String text = "👨‍👩‍👧".repeat(150) + " " + "x😀".repeat(200) + " " + "😀".repeat(333);
        for (int size = 100; size <= 107; size++) {
            List<Chunk> chunks = chunker().chunk(text, size, size / 3);
            assertInvariants(text, chunks, size, size / 3);
            for (Chunk chunk : chunks) {
                assertThat(chunk.text().charAt(0)).as("chunk starts with a joiner").isNotEqualTo('\u200D');
                assertThat(chunk.text().charAt(chunk.text().length() - 1)).isNotEqualTo('\u200D');
            }
        }
    }

    @Test
    void shouldNeverSeparateACombiningMarkFromItsLetter() {
        String text = "e\u0301".repeat(500);

        for (Chunk chunk : chunker().chunk(text, 101, 30)) {
            assertThat(chunk.text()).startsWith("e").endsWith("\u0301");
        }
    }

    @Test
    void shouldRejectInvalidArguments() {
        assertThatThrownBy(() -> chunker().chunk("text", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chunker().chunk("text", 100, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chunker().chunk("text", 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chunker().chunk(null, 100, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBeRegisteredUnderItsName() {
        assertThat(Chunkers.forName(chunker().name())).isInstanceOf(chunker().getClass());
        assertThat(Chunkers.names()).contains(chunker().name());
    }

    // ---- the invariants, shared with the strategy-specific tests ---------------------------------------------

    static void assertInvariants(String text, List<Chunk> chunks, int size, int overlap) {
        boolean[] covered = new boolean[text.length() + 1];
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.index()).as("index of chunk %d", i).isEqualTo(i);
            assertThat(chunk.text()).as("chunk %d", i).isNotBlank();
            assertThat(chunk.text().length()).as("length of chunk %d", i).isLessThanOrEqualTo(size);
            assertThat(text.substring(chunk.start(), chunk.end())).as("offsets of chunk %d", i)
                    .isEqualTo(chunk.text());
            assertThat(chunk.text().strip()).as("chunk %d is stripped", i).isEqualTo(chunk.text());
            assertThat(splitsSurrogatePair(text, chunk.start())).as("chunk %d start splits a pair", i).isFalse();
            assertThat(splitsSurrogatePair(text, chunk.end())).as("chunk %d end splits a pair", i).isFalse();
            if (i > 0) {
                Chunk previous = chunks.get(i - 1);
                assertThat(chunk.start()).as("start of chunk %d", i).isGreaterThan(previous.start());
                assertThat(chunk.end()).as("end of chunk %d", i).isGreaterThan(previous.end());
                assertThat(previous.end() - chunk.start()).as("overlap of chunks %d and %d", i - 1, i)
                        .isLessThanOrEqualTo(overlap);
            }
            java.util.Arrays.fill(covered, chunk.start(), chunk.end(), true);
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i)) && !covered[i]) {
                throw new AssertionError("character " + i + " (" + text.charAt(i) + ") is in no chunk");
            }
        }
    }

    /** Each span lies entirely inside at least one chunk. */
    static void assertEachInsideAChunk(String text, List<Chunk> chunks, List<int[]> spans) {
        for (int[] span : spans) {
            boolean inside = false;
            for (Chunk c : chunks) {
                if (c.start() <= span[0] && span[1] <= c.end()) {
                    inside = true;
                    break;
                }
            }
            if (!inside) {
                throw new AssertionError("no chunk holds [" + span[0] + ", " + span[1] + "): "
                        + text.substring(span[0], span[1]));
            }
        }
    }

    private static boolean splitsSurrogatePair(String text, int position) {
        return position > 0 && position < text.length() && Character.isHighSurrogate(text.charAt(position - 1))
                && Character.isLowSurrogate(text.charAt(position));
    }

    /**
     * Every chunk boundary lies on whitespace or a sentence boundary; or, inside a whitespace-free run longer than
     * the size, on a word boundary; or, inside a single word longer than the size, anywhere (the hard split).
     */
    static void assertNoWordCut(String text, List<Chunk> chunks, int size) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
        words.setText(text);
        for (Chunk chunk : chunks) {
            for (int position : new int[] {chunk.start(), chunk.end()}) {
                assertThat(respectsWords(text, position, size, sentences, words))
                        .as("chunk %d cuts a word at %d: ...%s|%s...", chunk.index(), position,
                                text.substring(Math.max(0, position - 20), position),
                                text.substring(position, Math.min(text.length(), position + 20)))
                        .isTrue();
            }
        }
    }

    private static boolean respectsWords(String text, int position, int size, BreakIterator sentences,
                                         BreakIterator words) {
        if (position == 0 || position == text.length() || Character.isWhitespace(text.charAt(position - 1))
                || Character.isWhitespace(text.charAt(position))) {
            return true;
        }
        if (sentences.isBoundary(position)) {
            return true;
        }
        int tokenStart = position;
        while (tokenStart > 0 && !Character.isWhitespace(text.charAt(tokenStart - 1))) {
            tokenStart--;
        }
        int tokenEnd = position;
        while (tokenEnd < text.length() && !Character.isWhitespace(text.charAt(tokenEnd))) {
            tokenEnd++;
        }
        if (tokenEnd - tokenStart <= size) {
            return false; // a whitespace-free run that fits is never cut
        }
        if (words.isBoundary(position)) {
            return true;
        }
        int wordStart = words.preceding(position);
        int wordEnd = words.following(position);
        return wordEnd - wordStart > size; // the hard split of one over-long word
    }
}
