package io.dynamicrag.app.cluster;

/**
 * How many segments of a processor one node may hold: its share of the processor's segments among the live nodes
 * that run it (rounded up, so together they can hold every segment), plus one for each segment an operator asked
 * another node to release (so some node has room to take it while the others are at their share).
 */
final class FairShare {

    private FairShare() {
    }

    /**
     * @param segments          the processor's segments (its rows in {@code token_entry})
     * @param liveNodes         live nodes running the processor, this one included
     * @param releasesElsewhere operator releases of the processor's segments on other nodes, still pending or
     *                          within their release window
     * @return at least 1
     */
    static int maxClaimedSegments(int segments, int liveNodes, int releasesElsewhere) {
        int nodes = Math.max(1, liveNodes);
        int share = (Math.max(1, segments) + nodes - 1) / nodes;
        return Math.max(1, share + Math.max(0, releasesElsewhere));
    }
}
