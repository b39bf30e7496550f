package io.dynamicrag.processing.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParagraphChunkerTest extends ChunkerContractTest {

    @Override
    protected Chunker chunker() {
        return new ParagraphChunker();
    }

    @Test
    void shouldBeNamedParagraph() {
        assertThat(chunker().name()).isEqualTo("paragraph");
    }

    @ParameterizedTest(name = "size {0}, overlap {1}")
    @CsvSource({"800, 0", "800, 150", "1000, 200"})
    void shouldKeepParagraphsWholeWhenTheyFit(int size, int overlap) {
        ChunkingCorpus.Doc doc = ChunkingCorpus.prose(8, 60, 1, 5, 20, 150); // paragraphs up to ~750 characters

        List<Chunk> chunks = chunker().chunk(doc.text(), size, overlap);

        assertInvariants(doc.text(), chunks, size, overlap);
        List<Integer> paragraphEnds = doc.paragraphs().stream().map(p -> p[1]).toList();
        assertEachInsideAChunk(doc.text(), chunks, doc.paragraphs());
        assertThat(chunks).allSatisfy(c -> assertThat(paragraphEnds).contains(c.end()));
    }

    @Test
    void shouldPackSeveralShortParagraphsIntoOneChunk() {
        String text = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth one.";

        List<Chunk> chunks = chunker().chunk(text, 40, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "First paragraph.\n\nSecond paragraph.", "Third paragraph.\n\nFourth one.");
    }

    @Test
    void shouldSplitAParagraphLongerThanTheSizeAtSentences() {
        ChunkingCorpus.Doc doc = ChunkingCorpus.prose(12, 1, 30, 30, 40, 90); // one paragraph of ~2 KB
        List<Integer> sentenceStarts = doc.sentences().stream().map(s -> s[0]).toList();
        List<Integer> sentenceEnds = doc.sentences().stream().map(s -> s[1]).toList();

        List<Chunk> chunks = chunker().chunk(doc.text(), 500, 0);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(sentenceStarts).contains(c.start());
            assertThat(sentenceEnds).contains(c.end());
        });
    }

    @Test
    void shouldRepeatTheLastShortParagraphAsOverlap() {
        String text = "A first paragraph that is fairly long, long enough.\n\nShort one.\n\n"
                + "A third paragraph that needs a chunk of its own here.";

        List<Chunk> chunks = chunker().chunk(text, 80, 20);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "A first paragraph that is fairly long, long enough.\n\nShort one.",
                "Short one.\n\nA third paragraph that needs a chunk of its own here.");
    }

    @Test
    void shouldRepeatTrailingSentencesWhenTheLastParagraphIsLongerThanTheOverlap() {
        String text = "Opening sentence of the first paragraph here. It ends now.\n\n"
                + "The second paragraph is one long sentence that fills the next chunk.";

        List<Chunk> chunks = chunker().chunk(text, 90, 20);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Opening sentence of the first paragraph here. It ends now.",
                "It ends now.\n\nThe second paragraph is one long sentence that fills the next chunk.");
    }

    @Test
    void shouldHandleATwentyKilobyteMarkdownDocument() {
        ChunkingCorpus.Doc doc = ChunkingCorpus.markdown();
        String text = doc.text();
        assertThat(text.length()).isBetween(20_000, 30_000);

        List<Chunk> chunks = chunker().chunk(text, 1000, 200);

        assertInvariants(text, chunks, 1000, 200);
        assertNoWordCut(text, chunks, 1000);
        // every block that fits (paragraph, list, table, code fence with its blank line) is in one chunk, whole
        List<int[]> fitting = doc.paragraphs().stream().filter(b -> b[1] - b[0] <= 1000).toList();
        assertThat(fitting).hasSizeGreaterThan(25);
        assertEachInsideAChunk(text, chunks, fitting);
        // a heading always travels with what follows it, so no chunk ends with one
        List<Integer> headingEnds = doc.headings().stream().map(h -> h[1]).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(headingEnds).doesNotContain(c.end()));
        // a list or table longer than the size is cut between items or rows only
        for (int[] block : doc.paragraphs()) {
            if (block[1] - block[0] > 1000 && isLineStructured(text.charAt(block[0]))) {
                for (Chunk c : chunks) {
                    for (int position : new int[] {c.start(), c.end()}) {
                        if (position > block[0] && position < block[1]) {
                            assertThat(atLineStartOrEnd(text, position)).as("cut inside a line at %d", position)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepACodeFenceWithBlankLinesInOneChunk() {
        String text = "Intro paragraph.\n\n```\nfirst();\n\n\nsecond();\n```\n\nOutro paragraph.";

        List<Chunk> chunks = chunker().chunk(text, 40, 0);

        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Intro paragraph.", "```\nfirst();\n\n\nsecond();\n```", "Outro paragraph.");
    }

    @Test
    void shouldStartAListAfterALineOfProseAsItsOwnParagraph() {
        String text = "Steps to follow:\n- install the tool\n- run the tool\n\nDone.";

        List<Chunk> chunks = chunker().chunk(text, 40, 0);

        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("Steps to follow:", "- install the tool\n- run the tool\n\nDone.");
    }

    private static boolean isLineStructured(char first) {
        return first == '-' || first == '|' || Character.isDigit(first);
    }

    private static boolean atLineStartOrEnd(String text, int position) {
        int before = position;
        while (before > 0 && text.charAt(before - 1) == ' ') {
            before--;
        }
        int after = position;
        while (after < text.length() && text.charAt(after) == ' ') {
            after++;
        }
        return before == 0 || text.charAt(before - 1) == '\n' || after == text.length() || text.charAt(after) == '\n';
    }
}
