package io.dynamicrag.processing.chunking;

import java.util.List;

/**
 * The "semantic" strategy: whole sentences packed greedily up to {@code size} characters.
 *
 * <p><b>Units.</b> Sentences come from {@link java.text.BreakIterator#getSentenceInstance(java.util.Locale)} (root
 * locale) inside each paragraph; blank lines, Markdown headings, list items, table rows and code lines always end a
 * unit. A heading sticks to the sentence after it when both fit. A sentence longer than {@code size} is cut between
 * whitespace-separated words; a run without whitespace longer than {@code size} at its
 * {@link java.text.BreakIterator#getWordInstance(java.util.Locale) word} boundaries; and only a single word longer
 * than {@code size} (a base64 blob, a URL without punctuation, CJK text without sentence punctuation) is hard-split,
 * at {@code size}, never inside a surrogate pair, and inside a grapheme cluster only when the cluster itself is longer
 * than {@code size}. So no chunk is ever longer than {@code size}.
 *
 * <p><b>Overlap.</b> The next chunk starts with the previous chunk's trailing whole sentences whose span (from the
 * first repeated sentence to the previous chunk's end, whitespace between them included) is at most {@code overlap}
 * characters; never the whole previous chunk; fewer (or none) when they would not leave room for the next sentence.
 * Inside a cut-up long sentence the repeated units are its trailing words.
 *
 * <p><b>Offsets.</b> See {@link Chunker}: {@code text.substring(start, end)} is exactly the chunk's text, the
 * original whitespace and line endings between its sentences included.
 *
 * <p><b>Sentence detection limits</b> (JDK 17 rules, checked in {@code SemanticChunkerTest}):
 * <ul>
 *   <li>decimals, versions and dotted names ("3.14", "1.2.3", "example.com") are no sentence end: a period
 *       ends a sentence only before whitespace; "...", "?!" and closing quotes are handled;</li>
 *   <li>the JDK ends a sentence at "e.g. Java" or "Dr. Smith" (a capital after the period); common abbreviations
 *       and single-capital initials ("J. R. R. Tolkien") are glued back; other abbreviations before a capital
 *       ("U.S. Army", "Inc. Board") still end a sentence, and a sentence that truly ends in an initial ("plan B.
 *       Then") is glued to the next — both cost only a less tidy cut, never a cut word;</li>
 *   <li>a single line break is not a sentence end (prose is often hard-wrapped), so a line without terminal
 *       punctuation inside a paragraph joins the next sentence;</li>
 *   <li>CJK: 。！？ end sentences; the JDK has no dictionary for CJK words, so an over-long unpunctuated CJK run is
 *       cut between characters (there are no spaces to respect).</li>
 * </ul>
 */
public class SemanticChunker implements Chunker {

    public static final String NAME = "semantic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Chunk> chunk(String text, int size, int overlap) {
        Chunker.checkArguments(text, size, overlap);
        Spans atoms = new Spans();
        new TextSegmenter(text).atoms(0, text.length(), TextSegmenter.Level.SENTENCE, size, atoms);
        return SpanPacker.pack(text, atoms, size, overlap, null);
    }
}
