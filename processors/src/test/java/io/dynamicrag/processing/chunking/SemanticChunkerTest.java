package io.dynamicrag.processing.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemanticChunkerTest extends ChunkerContractTest {

    @Override
    protected Chunker chunker() {
        return new SemanticChunker();
    }

    @Test
    void shouldBeNamedSemantic() {
        assertThat(chunker().name()).isEqualTo("semantic");
    }

    @ParameterizedTest(name = "size {0}, overlap {1}")
    @CsvSource({"250, 0", "250, 80", "1000, 200"})
    void shouldKeepEverySentenceThatFitsWhole(int size, int overlap) {
        ChunkingCorpus.Doc doc = ChunkingCorpus.prose(21, 50, 1, 9, 15, 240);

        List<Chunk> chunks = chunker().chunk(doc.text(), size, overlap);

        assertInvariants(doc.text(), chunks, size, overlap);
        assertEachInsideAChunk(doc.text(), chunks, doc.sentences());
        // and chunks begin and end with sentences, not in the middle of one
        List<Integer> starts = doc.sentences().stream().map(s -> s[0]).toList();
        List<Integer> ends = doc.sentences().stream().map(s -> s[1]).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(starts).contains(c.start());
            assertThat(ends).contains(c.end());
        });
    }

    @Test
    void shouldNotEndASentenceAtAbbreviationsInitialsOrDecimals() {
        String text = "We met Dr. Smith at noon today. Tools, e.g. Java or Kotlin, help. "
                + "J. R. R. Tolkien wrote books. Pi is 3.14 and version 1.2.3 shipped.";

        List<Chunk> chunks = chunker().chunk(text, 60, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "We met Dr. Smith at noon today.",
                "Tools, e.g. Java or Kotlin, help.",
                "J. R. R. Tolkien wrote books.",
                "Pi is 3.14 and version 1.2.3 shipped.");
    }

    @Test
    void shouldEndSentencesAtQuestionMarksExclamationsEllipsesAndCjkPunctuation() {
        String text = "Is it ready? Yes! It waited... Then it ran. 中文句子。第二句话！";

        List<Chunk> chunks = chunker().chunk(text, 14, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Is it ready?", "Yes!", "It waited...", "Then it ran.", "中文句子。第二句话！");
    }

    @Test
    void shouldDocumentTheAbbreviationsItCannotKnow() {
        // a known limitation: the JDK ends a sentence after "U.S." before a capital, and so do we
        List<Chunk> chunks = chunker().chunk("The U.S. Army is large.", 20, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly("The U.S.", "Army is large.");
    }

    @Test
    void shouldRepeatWholeTrailingSentencesAsOverlap() {
        ChunkingCorpus.Doc doc = ChunkingCorpus.prose(5, 30, 2, 6, 20, 90);
        List<Integer> sentenceStarts = doc.sentences().stream().map(s -> s[0]).toList();

        List<Chunk> chunks = chunker().chunk(doc.text(), 300, 100);

        for (int i = 1; i < chunks.size(); i++) {
            int repeatedFrom = chunks.get(i).start();
            assertThat(repeatedFrom).isLessThan(chunks.get(i - 1).end());
            assertThat(sentenceStarts).contains(repeatedFrom);
            assertThat(chunks.get(i - 1).end() - repeatedFrom).isLessThanOrEqualTo(100);
            assertThat(repeatedFrom).as("never the whole previous chunk").isGreaterThan(chunks.get(i - 1).start());
        }
    }

    @Test
    void shouldSplitASentenceLongerThanTheSizeBetweenWords() {
        String sentence = ("Chunking splits long content between whole words only ").repeat(12).strip() + ".";

        List<Chunk> chunks = chunker().chunk(sentence, 100, 0);

        assertThat(chunks).hasSizeGreaterThan(6);
        assertInvariants(sentence, chunks, 100, 0);
        for (Chunk chunk : chunks) {
            assertThat(chunk.start() == 0 || sentence.charAt(chunk.start() - 1) == ' ').isTrue();
            assertThat(chunk.end() == sentence.length() || sentence.charAt(chunk.end()) == ' ').isTrue();
        }
    }

    @Test
    void shouldHardSplitOnlyAWordLongerThanTheSize() {
        String text = "Before the blob. " + "Q".repeat(250) + " After the blob.";

        List<Chunk> chunks = chunker().chunk(text, 100, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Before the blob.", "Q".repeat(100), "Q".repeat(100), "Q".repeat(50) + " After the blob.");
    }

    @Test
    void shouldCutAnOverLongUrlAtItsPunctuation() {
        String url = "https://example.com/" + "segment/".repeat(30) + "end";

        List<Chunk> chunks = chunker().chunk(url, 100, 0);

        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(url);
        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.subList(1, chunks.size())).allSatisfy(c -> assertThat(c.text()).matches("(/|segment).*"));
    }

    @Test
    void shouldNeverTreatABlankLineAsPartOfASentence() {
        String text = "A heading without a period\n\nThe first sentence of the paragraph.";

        List<Chunk> chunks = chunker().chunk(text, 40, 0);

        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("A heading without a period", "The first sentence of the paragraph.");
    }

    @Test
    void shouldKeepAHeadingWithTheSentenceAfterIt() {
        String text = "Intro sentence that is long enough to fill.\n\n## Usage\n\nRun the tool. It works.";

        List<Chunk> chunks = chunker().chunk(text, 50, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Intro sentence that is long enough to fill.", "## Usage\n\nRun the tool. It works.");
    }

    @Test
    void shouldKeepWindowsLineEndingsInsideChunks() {
        String text = "First sentence here.\r\nSecond sentence here.\r\n\r\nThird one.";

        List<Chunk> chunks = chunker().chunk(text, 1000, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly(text);
    }
}
