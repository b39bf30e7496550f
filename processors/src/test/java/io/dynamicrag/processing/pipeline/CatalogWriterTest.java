package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.index.CatalogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CatalogWriterTest {

    @Test
    void theSummaryIsTheStartOfTheTextPutTogetherFromOverlappingChunks() {
        String text = "First paragraph here. Second sentence.\n\nNext paragraph follows.";
        List<Chunk> chunks = List.of(
                new Chunk(1, 23, 63, text.substring(23, 63)),
                new Chunk(0, 0, 38, text.substring(0, 38)));
        assertThat(CatalogWriter.summaryOf(chunks)).isEqualTo(text);
    }

    @Test
    void aGapTheChunkerSkippedBecomesOneNewline() {
        List<Chunk> chunks = List.of(new Chunk(0, 0, 5, "Alpha"), new Chunk(1, 8, 12, "Beta"));
        assertThat(CatalogWriter.summaryOf(chunks)).isEqualTo("Alpha\nBeta");
    }

    @Test
    void theSummaryStopsAtItsLength() {
        String long1 = "a".repeat(900);
        String long2 = "b".repeat(900);
        String summary = CatalogWriter.summaryOf(List.of(new Chunk(0, 0, 900, long1), new Chunk(1, 900, 1800, long2)));
        assertThat(summary).hasSize(CatalogEntry.SUMMARY_CHARACTERS).startsWith(long1);
    }

    @Test
    void theVectorIsTheUnitLengthMeanOfTheChunkVectors() {
        float[] centroid = CatalogWriter.centroid(List.of(new float[]{1, 0, 0}, new float[]{0, 1, 0}), 3);
        assertThat(centroid[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(centroid[1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(centroid[2]).isZero();
    }
}
