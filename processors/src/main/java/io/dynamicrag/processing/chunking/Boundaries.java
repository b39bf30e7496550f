package io.dynamicrag.processing.chunking;

/**
 * Where text may be cut without breaking a user-perceived character. JDK 17's {@link java.text.BreakIterator}
 * predates extended grapheme clusters (it splits 👍🏽 and ZWJ sequences such as 👨‍👩‍👧), so the rule is ours:
 * a position is <em>safe</em> unless it falls inside a surrogate pair or a CR LF, before a combining mark, variation
 * selector, emoji modifier, tag character or zero-width joiner, after a zero-width joiner, or between the two
 * regional indicators of a flag.
 */
final class Boundaries {

    private static final int ZWJ = 0x200D;
    /** How far back to count regional indicators; a longer run than this is not text anyone reads. */
    private static final int REGIONAL_INDICATOR_LOOKBACK = 64;

    private Boundaries() {
    }

    static boolean isSafe(String text, int i) {
        if (i <= 0 || i >= text.length()) {
            return true;
        }
        char before = text.charAt(i - 1);
        char after = text.charAt(i);
        if (Character.isHighSurrogate(before) && Character.isLowSurrogate(after)) {
            return false;
        }
        if (before == '\r' && after == '\n') {
            return false;
        }
        int next = text.codePointAt(i);
        int previous = text.codePointBefore(i);
        if (next == ZWJ || previous == ZWJ || isExtender(next)) {
            return false;
        }
        if (isRegionalIndicator(previous) && isRegionalIndicator(next)) {
            // flags are pairs: a boundary only after an even number of indicators
            int count = 0;
            int p = i;
            while (p > 0 && count < REGIONAL_INDICATOR_LOOKBACK && isRegionalIndicator(text.codePointBefore(p))) {
                p -= Character.charCount(text.codePointBefore(p));
                count++;
            }
            return count % 2 == 0;
        }
        return true;
    }

    /** The code point at {@code i} continues the cluster before it. */
    private static boolean isExtender(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || (cp >= 0xFE00 && cp <= 0xFE0F)        // variation selectors
                || (cp >= 0xE0100 && cp <= 0xE01EF)      // variation selectors supplement
                || (cp >= 0x1F3FB && cp <= 0x1F3FF)      // emoji skin-tone modifiers
                || (cp >= 0xE0020 && cp <= 0xE007F);     // tag characters (subdivision flags)
    }

    private static boolean isRegionalIndicator(int cp) {
        return cp >= 0x1F1E6 && cp <= 0x1F1FF;
    }

    /**
     * The last position in {@code (from, limit]} where the text may be cut: a safe one when there is one, else the
     * last position not inside a surrogate pair (a single cluster longer than the window). Needs
     * {@code limit - from >= 2} when the text there holds a surrogate pair; {@code from < limit <= length}.
     */
    static int cutAtOrBefore(String text, int from, int limit) {
        for (int cut = limit; cut > from; cut--) {
            if (isSafe(text, cut)) {
                return cut;
            }
        }
        if (limit < text.length() && Character.isHighSurrogate(text.charAt(limit - 1))
                && Character.isLowSurrogate(text.charAt(limit)) && limit - 1 > from) {
            return limit - 1;
        }
        return limit;
    }

    /** The first non-whitespace position in {@code [from, to)}, or {@code to}. */
    static int skipWhitespace(String text, int from, int to) {
        int i = from;
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The position after the last non-whitespace character in {@code [from, to)}, or {@code from}. */
    static int trimWhitespaceEnd(String text, int from, int to) {
        int i = to;
        while (i > from && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }
}
