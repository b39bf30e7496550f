package io.dynamicrag.processing.chunking;

import java.util.List;

/**
 * The "paragraph" strategy: whole paragraphs packed greedily up to {@code size} characters.
 *
 * <p><b>Paragraphs</b> are separated by blank lines, with light Markdown awareness: a heading line is a paragraph of
 * its own that sticks to the paragraph after it when both fit (so no chunk ends with an orphaned heading); a list and
 * a table are paragraphs (a list item may start a list right after a line of prose); a fenced code block is one
 * paragraph even across blank lines. A paragraph that fits in {@code size} is never split. A longer one is split the
 * way {@link SemanticChunker} splits text: a list into its items, a table or code block into its lines, prose into
 * sentences, then words; only a single word longer than {@code size} is hard-split. No chunk is longer than
 * {@code size}.
 *
 * <p><b>Overlap.</b> The next chunk starts with the previous chunk's trailing whole paragraphs whose span is at most
 * {@code overlap} characters; when the last paragraph alone is longer than that, with its trailing sentences (or
 * items, or lines) that fit instead. Never the whole previous chunk; fewer or none when they would not leave room for
 * the next paragraph, which is never split to make room for overlap.
 *
 * <p><b>Offsets.</b> See {@link Chunker}: {@code text.substring(start, end)} is exactly the chunk's text.
 */
public class ParagraphChunker implements Chunker {

    public static final String NAME = "paragraph";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Chunk> chunk(String text, int size, int overlap) {
        Chunker.checkArguments(text, size, overlap);
        TextSegmenter segmenter = new TextSegmenter(text);
        Spans atoms = new Spans();
        segmenter.atoms(0, text.length(), TextSegmenter.Level.BLOCK, size, atoms);
        Spans scratch = new Spans();
        SpanPacker.InnerBoundaries sentenceStarts = (start, end, out) -> {
            scratch.clear();
            segmenter.atoms(start, end, TextSegmenter.Level.SENTENCE, Integer.MAX_VALUE, scratch);
            for (int i = 0; i < scratch.size(); i++) {
                if (scratch.start(i) > start) {
                    out.add(scratch.start(i), scratch.start(i));
                }
            }
        };
        return SpanPacker.pack(text, atoms, size, overlap, sentenceStarts);
    }
}
