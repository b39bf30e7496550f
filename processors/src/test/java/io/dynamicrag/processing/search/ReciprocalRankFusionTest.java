package io.dynamicrag.processing.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReciprocalRankFusionTest {

    private final ReciprocalRankFusion fusion = new ReciprocalRankFusion();

    @Test
    void shouldSumReciprocalRanksAcrossLists() {
        List<ReciprocalRankFusion.Fused<String>> fused = fusion.fuse(Function.identity(),
                List.of("a", "b", "c"), List.of("c", "d"));

        assertThat(fused).extracting(ReciprocalRankFusion.Fused::item).containsExactly("c", "a", "b", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 61, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 62, within(1e-12));
    }

    @Test
    void shouldLiftAnItemThatOnlyOneListFindsAboveItemsNearTheBottomOfBoth() {
        // the exact-token hit is first in the keyword list and absent from the vector list
        List<String> vector = List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "shared");
        List<String> keyword = List.of("exact", "shared");
        List<String> top3 = fusion.fuse(Function.identity(), vector, keyword).stream().limit(3)
                .map(ReciprocalRankFusion.Fused::item).toList();
        // "exact" ties with the vector list's first item (1/61 each); the earlier list wins the tie
        assertThat(top3).containsExactly("shared", "v1", "exact");
    }

    @Test
    void shouldKeepTheFirstListsInstanceAndBreakTiesByFirstAppearance() {
        record Hit(String id, String source) {
        }
        List<ReciprocalRankFusion.Fused<Hit>> fused = fusion.fuse(Hit::id,
                List.of(new Hit("x", "vector"), new Hit("y", "vector")),
                List.of(new Hit("y", "keyword"), new Hit("x", "keyword")));
        assertThat(fused).extracting(f -> f.item().source()).containsExactly("vector", "vector");
        assertThat(fused).extracting(f -> f.item().id()).containsExactly("x", "y");
        assertThat(fusion.fuse(Hit::id)).isEmpty();
        assertThatThrownBy(() -> new ReciprocalRankFusion(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
