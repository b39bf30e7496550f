package io.dynamicrag.app.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FairShareTest {

    @Test
    void shouldGiveEachLiveNodeItsShareRoundedUp() {
        assertThat(FairShare.maxClaimedSegments(16, 1, 0)).isEqualTo(16);
        assertThat(FairShare.maxClaimedSegments(16, 2, 0)).isEqualTo(8);
        assertThat(FairShare.maxClaimedSegments(16, 3, 0)).isEqualTo(6);
        assertThat(FairShare.maxClaimedSegments(16, 5, 0)).isEqualTo(4);
        assertThat(FairShare.maxClaimedSegments(16, 16, 0)).isEqualTo(1);
    }

    @Test
    void shouldLetTheLiveNodesHoldEverySegmentTogether() {
        for (int segments = 1; segments <= 64; segments++) {
            for (int nodes = 1; nodes <= 20; nodes++) {
                assertThat(FairShare.maxClaimedSegments(segments, nodes, 0) * nodes)
                        .as("%d segments on %d nodes", segments, nodes)
                        .isGreaterThanOrEqualTo(segments);
            }
        }
    }

    @Test
    void shouldMakeRoomForEachSegmentReleasedElsewhere() {
        assertThat(FairShare.maxClaimedSegments(16, 3, 1)).isEqualTo(7);
        assertThat(FairShare.maxClaimedSegments(16, 2, 2)).isEqualTo(10);
    }

    @Test
    void shouldAlwaysAllowAtLeastOneSegment() {
        assertThat(FairShare.maxClaimedSegments(1, 4, 0)).isEqualTo(1);
        assertThat(FairShare.maxClaimedSegments(16, 100, 0)).isEqualTo(1);
        assertThat(FairShare.maxClaimedSegments(0, 0, 0)).isEqualTo(1);
        assertThat(FairShare.maxClaimedSegments(16, 0, -3)).isEqualTo(16);
    }
}
