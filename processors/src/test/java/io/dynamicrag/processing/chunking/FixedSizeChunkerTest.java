package io.dynamicrag.processing.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FixedSizeChunkerTest extends ChunkerContractTest {

    @Override
    protected Chunker chunker() {
        return new FixedSizeChunker();
    }

    @Override
    protected boolean keepsWordsWhole() {
        return false;
    }

    @Test
    void shouldBeNamedFixed() {
        assertThat(chunker().name()).isEqualTo("fixed");
    }

    @Test
    void shouldCutWindowsOfSizeSteppingSizeMinusOverlapAsTheSeedDid() {
        String text = "abcdefghij".repeat(100); // no whitespace: no window is pulled back

        List<Chunk> chunks = chunker().chunk(text, 100, 20);

        List<Integer> expectedStarts = new ArrayList<>();
        for (int start = 0; ; start += 80) {
            expectedStarts.add(start);
            if (start + 100 >= text.length()) {
                break;
            }
        }
        assertThat(chunks).extracting(Chunk::start).containsExactlyElementsOf(expectedStarts);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.text()).hasSize(100));
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(text.length());
    }

    @Test
    void shouldPullAWindowBackToWhitespaceInItsLastFifth() {
        String text = "x".repeat(85) + " " + "y".repeat(20) + " " + "z".repeat(60);

        List<Chunk> chunks = chunker().chunk(text, 100, 0);

        assertThat(chunks).extracting(Chunk::text)
                .containsExactly("x".repeat(85), "y".repeat(20) + " " + "z".repeat(60));
    }

    @Test
    void shouldNotPullBackAWindowThatAlreadyEndsAtAWordEnd() {
        // the seed pulled this window back to the space after the x's although it ended exactly after the y's
        String text = "x".repeat(85) + " " + "y".repeat(14) + " " + "z".repeat(60);

        List<Chunk> chunks = chunker().chunk(text, 100, 0);

        assertThat(chunks.get(0).text()).isEqualTo("x".repeat(85) + " " + "y".repeat(14));
    }

    @Test
    void shouldCutInsideAWordWhenTheLastFifthHasNoWhitespace() {
        String text = "x".repeat(150);

        assertThat(chunker().chunk(text, 100, 20)).extracting(Chunk::start, Chunk::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 100),
                        org.assertj.core.groups.Tuple.tuple(80, 150));
    }

    @Test
    void shouldMoveAWindowEndOffASurrogatePair() {
        String text = "😀".repeat(100); // 200 chars: a window of 101 would end between the two halves

        List<Chunk> chunks = chunker().chunk(text, 101, 0);

        assertThat(chunks).extracting(Chunk::text).containsExactly("😀".repeat(50), "😀".repeat(50));
    }

    @Test
    void shouldPointOffsetsAtTheStrippedText() {
        String text = "   alpha beta   ";

        Chunk chunk = chunker().chunk(text, 100, 0).get(0);

        assertThat(chunk.start()).isEqualTo(3);
        assertThat(chunk.end()).isEqualTo(13);
    }
}
