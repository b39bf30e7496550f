package io.dynamicrag.processing.chunking;

import java.text.BreakIterator;
import java.text.StringCharacterIterator;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts a text into <em>atoms</em> for {@link SpanPacker}: trimmed, ordered, non-overlapping spans of at most a given
 * size that together hold every non-whitespace character. Atoms come from the coarsest level that fits:
 *
 * <ol>
 *   <li><b>blocks</b> ({@link Level#BLOCK}): paragraphs separated by blank lines, with light Markdown awareness —
 *       a heading line ({@code # ...}) is a block of its own that sticks to the atom after it when both fit; a list
 *       (items may interrupt a paragraph) and a table ({@code | ...} rows) are blocks; a fenced code block
 *       ({@code ```} or {@code ~~~}) is one block, blank lines inside it included;</li>
 *   <li><b>sentences</b> ({@link Level#SENTENCE}): {@link BreakIterator#getSentenceInstance(Locale)} inside a prose
 *       block, with common abbreviations glued back on; a list splits first into its items, a table or code block
 *       into its lines;</li>
 *   <li><b>tokens</b>: whitespace-separated runs, for a sentence longer than the size — no word is cut;</li>
 *   <li><b>words</b>: {@link BreakIterator#getWordInstance(Locale)} boundaries inside a token longer than the size
 *       (a URL splits at its punctuation, a run of CJK ideographs stays one word);</li>
 *   <li><b>hard split</b>: a single word longer than the size (a base64 blob, a CJK run without punctuation) is cut
 *       every {@code size} characters at the last {@linkplain Boundaries#isSafe safe} position.</li>
 * </ol>
 * Not thread-safe (it holds break iterators): one instance per chunking call.
 */
final class TextSegmenter {

    enum Level { BLOCK, SENTENCE }

    private enum Kind { TEXT, HEADING, LIST, TABLE, CODE }

    /**
     * Tokens that end with a period the JDK takes for a sentence end when a capital letter follows
     * ("e.g. Java", "Dr. Smith"); the sentence goes on after them. Deliberately no "etc", "Inc" or "U.S", which end
     * sentences at least as often.
     */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "e.g", "E.g", "i.e", "I.e", "cf", "Cf", "vs", "Vs", "viz", "approx", "Approx", "ca", "Ca",
            "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Rev", "Hon", "Gen", "Col", "Lt", "Sgt", "Capt",
            "Fig", "fig", "Figs", "figs", "No", "Nos", "Nr", "Vol", "vol", "pp", "Ch", "ch", "Sec", "sec", "Eq", "eq",
            "Ref", "ref", "Art", "art", "Abb", "bzw", "z.B", "d.h", "u.a", "ggf", "usw");

    private final String text;
    private BreakIterator sentenceIterator;
    private BreakIterator wordIterator;
    private int size;
    private Level level;
    private Spans out;
    private final Spans blockAtoms = new Spans();
    private final Spans headings = new Spans();

    TextSegmenter(String text) {
        this.text = text;
    }

    /** Appends to {@code target} the atoms of {@code [from, to)}, each at most {@code size} characters long. */
    void atoms(int from, int to, Level startLevel, int maxSize, Spans target) {
        this.size = maxSize;
        this.level = startLevel;
        this.out = target;
        headings.clear();
        parseBlocks(from, to);
        flushHeadings();
    }

    // ---- blocks ---------------------------------------------------------------------------------------------

    private void parseBlocks(int from, int to) {
        int blockStart = -1;
        int blockEnd = -1;
        Kind kind = null;
        boolean inFence = false;
        char fenceChar = 0;
        int fenceLength = 0;
        int pos = from;
        while (pos < to) {
            int lineEnd = pos;
            while (lineEnd < to && text.charAt(lineEnd) != '\n' && text.charAt(lineEnd) != '\r') {
                lineEnd++;
            }
            int next = lineEnd;
            if (next < to) {
                next += text.charAt(next) == '\r' && next + 1 < to && text.charAt(next + 1) == '\n' ? 2 : 1;
            }
            int ls = Boundaries.skipWhitespace(text, pos, lineEnd);
            int le = Boundaries.trimWhitespaceEnd(text, ls, lineEnd);
            if (inFence) {
                if (ls < le) {
                    blockEnd = le;
                    if (fenceRun(ls, le, fenceChar) >= fenceLength && fenceRun(ls, le, fenceChar) == le - ls) {
                        block(blockStart, blockEnd, Kind.CODE);
                        inFence = false;
                        kind = null;
                    }
                }
            } else if (ls == le) {
                if (kind != null) {
                    block(blockStart, blockEnd, kind);
                    kind = null;
                }
            } else if (fenceOpening(ls, le) > 0) {
                if (kind != null) {
                    block(blockStart, blockEnd, kind);
                }
                fenceChar = text.charAt(ls);
                fenceLength = fenceOpening(ls, le);
                inFence = true;
                kind = Kind.CODE;
                blockStart = ls;
                blockEnd = le;
            } else if (isHeading(ls, le)) {
                if (kind != null) {
                    block(blockStart, blockEnd, kind);
                    kind = null;
                }
                block(ls, le, Kind.HEADING);
            } else {
                boolean item = isListItem(ls, le);
                if (kind == Kind.TEXT && item && canInterruptParagraph(ls)) {
                    block(blockStart, blockEnd, kind);
                    kind = null;
                }
                if (kind == null) {
                    kind = item ? Kind.LIST : text.charAt(ls) == '|' ? Kind.TABLE : Kind.TEXT;
                    blockStart = ls;
                }
                blockEnd = le;
            }
            pos = next;
        }
        if (kind != null) {
            block(blockStart, blockEnd, kind); // an unclosed fence runs to the end
        }
    }

    private int fenceRun(int ls, int le, char c) {
        int i = ls;
        while (i < le && text.charAt(i) == c) {
            i++;
        }
        return i - ls;
    }

    /** The fence length when the line opens a fenced code block ({@code ```lang} or {@code ~~~}), else 0. */
    private int fenceOpening(int ls, int le) {
        char c = text.charAt(ls);
        if (c != '`' && c != '~') {
            return 0;
        }
        int run = fenceRun(ls, le, c);
        if (run < 3) {
            return 0;
        }
        if (c == '`') {
            for (int i = ls + run; i < le; i++) {
                if (text.charAt(i) == '`') {
                    return 0; // more backticks after the run: inline code, not a fence
                }
            }
        }
        return run;
    }

    private boolean isHeading(int ls, int le) {
        int hashes = fenceRun(ls, le, '#');
        return hashes >= 1 && hashes <= 6 && (ls + hashes == le || Character.isWhitespace(text.charAt(ls + hashes)));
    }

    private boolean isListItem(int ls, int le) {
        char c = text.charAt(ls);
        if (c == '-' || c == '*' || c == '+') {
            return ls + 1 < le && Character.isWhitespace(text.charAt(ls + 1));
        }
        int i = ls;
        while (i < le && i - ls < 9 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i > ls && i + 1 < le && (text.charAt(i) == '.' || text.charAt(i) == ')')
                && Character.isWhitespace(text.charAt(i + 1));
    }

    /** As in CommonMark: a bullet or an ordered list starting at 1 may interrupt a paragraph, "2020. We" may not. */
    private boolean canInterruptParagraph(int ls) {
        char c = text.charAt(ls);
        return c == '-' || c == '*' || c == '+' || (c == '1' && !Character.isDigit(text.charAt(ls + 1)));
    }

    private void block(int start, int end, Kind kind) {
        if (kind == Kind.HEADING) {
            headings.add(start, end);
            return;
        }
        blockAtoms.clear();
        blockAtoms(start, end, kind, blockAtoms);
        if (headings.isEmpty()) {
            out.addAll(blockAtoms, 0);
            return;
        }
        // headings stick to the first atom after them: the earliest heading that still fits starts that atom
        int firstEnd = blockAtoms.end(0);
        int h = 0;
        while (h < headings.size() && firstEnd - headings.start(h) > size) {
            h++;
        }
        for (int i = 0; i < h; i++) {
            standalone(headings.start(i), headings.end(i), out);
        }
        if (h < headings.size()) {
            out.add(headings.start(h), firstEnd);
            out.addAll(blockAtoms, 1);
        } else {
            out.addAll(blockAtoms, 0);
        }
        headings.clear();
    }

    private void flushHeadings() {
        for (int i = 0; i < headings.size(); i++) {
            standalone(headings.start(i), headings.end(i), out);
        }
        headings.clear();
    }

    private void standalone(int start, int end, Spans sink) {
        if (end - start <= size) {
            sink.add(start, end);
        } else {
            sentences(start, end, sink);
        }
    }

    private void blockAtoms(int start, int end, Kind kind, Spans sink) {
        if (level == Level.BLOCK && end - start <= size) {
            sink.add(start, end);
            return;
        }
        switch (kind) {
            case LIST -> listItems(start, end, sink);
            case TABLE, CODE -> lines(start, end, sink);
            default -> sentences(start, end, sink);
        }
    }

    /** Items start at the lines that are list items (nested ones too); other lines continue the item before. */
    private void listItems(int start, int end, Spans sink) {
        int itemStart = start;
        int itemEnd = start;
        int pos = start;
        while (pos < end) {
            int lineEnd = lineEnd(pos, end);
            int ls = Boundaries.skipWhitespace(text, pos, lineEnd);
            int le = Boundaries.trimWhitespaceEnd(text, ls, lineEnd);
            if (ls < le) {
                if (ls > itemStart && isListItem(ls, le)) {
                    item(itemStart, itemEnd, sink);
                    itemStart = ls;
                }
                itemEnd = le;
            }
            pos = nextLine(lineEnd, end);
        }
        item(itemStart, itemEnd, sink);
    }

    private void item(int start, int end, Spans sink) {
        if (level == Level.BLOCK && end - start <= size) {
            sink.add(start, end);
        } else {
            sentences(start, end, sink);
        }
    }

    private void lines(int start, int end, Spans sink) {
        int pos = start;
        while (pos < end) {
            int lineEnd = lineEnd(pos, end);
            int ls = Boundaries.skipWhitespace(text, pos, lineEnd);
            int le = Boundaries.trimWhitespaceEnd(text, ls, lineEnd);
            if (ls < le) {
                if (le - ls <= size) {
                    sink.add(ls, le);
                } else {
                    tokens(ls, le, sink);
                }
            }
            pos = nextLine(lineEnd, end);
        }
    }

    private int lineEnd(int pos, int end) {
        int i = pos;
        while (i < end && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private int nextLine(int lineEnd, int end) {
        if (lineEnd >= end) {
            return end;
        }
        return lineEnd + (text.charAt(lineEnd) == '\r' && lineEnd + 1 < end && text.charAt(lineEnd + 1) == '\n'
                ? 2 : 1);
    }

    // ---- sentences ------------------------------------------------------------------------------------------

    /** The sentences of {@code [start, end)} (trimmed, non-blank), each split further when longer than the size. */
    void sentences(int start, int end, Spans sink) {
        if (sentenceIterator == null) {
            sentenceIterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        }
        BreakIterator it = sentenceIterator;
        it.setText(new StringCharacterIterator(text, start, end, start));
        int pending = -1;
        int pendingEnd = -1;
        int segmentStart = it.first();
        for (int boundary = it.next(); boundary != BreakIterator.DONE; segmentStart = boundary,
                boundary = it.next()) {
            int ts = Boundaries.skipWhitespace(text, segmentStart, boundary);
            int te = Boundaries.trimWhitespaceEnd(text, ts, boundary);
            if (ts == te) {
                continue;
            }
            if (pending < 0) {
                pending = ts;
            }
            pendingEnd = te;
            if (boundary < end && endsWithAbbreviation(pending, te)) {
                continue;
            }
            sentence(pending, te, sink);
            pending = -1;
        }
        if (pending >= 0) {
            sentence(pending, pendingEnd, sink);
        }
    }

    private void sentence(int start, int end, Spans sink) {
        if (end - start <= size) {
            sink.add(start, end);
        } else {
            tokens(start, end, sink);
        }
    }

    /** The sentence's last token is a known abbreviation ("e.g.") or an initial ("J."), so it goes on. */
    private boolean endsWithAbbreviation(int start, int end) {
        if (text.charAt(end - 1) != '.') {
            return false;
        }
        int tokenStart = end - 1;
        while (tokenStart > start && !Character.isWhitespace(text.charAt(tokenStart - 1))
                && "([{\"'\u201C\u2018".indexOf(text.charAt(tokenStart - 1)) < 0) {
            tokenStart--;
        }
        int length = end - 1 - tokenStart;
        if (length == 1 && Character.isUpperCase(text.charAt(tokenStart))) {
            return true; // an initial, as in "J. R. R. Tolkien"
        }
        return length > 0 && length <= 6 && ABBREVIATIONS.contains(text.substring(tokenStart, end - 1));
    }

    // ---- tokens, words, hard split ----------------------------------------------------------------------------

    private void tokens(int start, int end, Spans sink) {
        int pos = start;
        while (pos < end) {
            pos = Boundaries.skipWhitespace(text, pos, end);
            int tokenEnd = pos;
            while (tokenEnd < end && !Character.isWhitespace(text.charAt(tokenEnd))) {
                tokenEnd++;
            }
            if (pos < tokenEnd) {
                if (tokenEnd - pos <= size) {
                    sink.add(pos, tokenEnd);
                } else {
                    words(pos, tokenEnd, sink);
                }
            }
            pos = tokenEnd;
        }
    }

    private void words(int start, int end, Spans sink) {
        if (wordIterator == null) {
            wordIterator = BreakIterator.getWordInstance(Locale.ROOT);
        }
        BreakIterator it = wordIterator;
        it.setText(new StringCharacterIterator(text, start, end, start));
        int pieceStart = start;
        it.first();
        for (int boundary = it.next(); boundary != BreakIterator.DONE; boundary = it.next()) {
            if (boundary <= pieceStart || (boundary < end && !Boundaries.isSafe(text, boundary))) {
                continue;
            }
            if (boundary - pieceStart <= size) {
                sink.add(pieceStart, boundary);
            } else {
                hardSplit(pieceStart, boundary, sink);
            }
            pieceStart = boundary;
        }
        if (pieceStart < end) {
            hardSplit(pieceStart, end, sink);
        }
    }

    /** Cuts a single word longer than the size: the one place a chunk boundary may fall inside a word. */
    private void hardSplit(int start, int end, Spans sink) {
        int pos = start;
        while (end - pos > size) {
            int cut = Boundaries.cutAtOrBefore(text, pos, pos + size);
            sink.add(pos, cut);
            pos = cut;
        }
        sink.add(pos, end);
    }
}
