package io.dynamicrag.processing.search;

/** How deep each ranked list goes before fusion. */
final class SearchDepth {

    /** Candidates each list contributes to a hybrid fusion, at least: fusing two top-3 lists would be noise. */
    static final int HYBRID = 50;

    private SearchDepth() {
    }

    /** The depth of each list for a hybrid search returning k results. */
    static int hybrid(int k) {
        return Math.max(k, HYBRID);
    }
}
