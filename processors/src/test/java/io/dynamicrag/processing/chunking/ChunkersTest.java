package io.dynamicrag.processing.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkersTest {

    @Test
    void shouldNameTheThreeStrategiesInAStableOrder() {
        assertThat(Chunkers.names()).containsExactly("fixed", "paragraph", "semantic");
    }

    @Test
    void shouldFindEachStrategyByItsName() {
        assertThat(Chunkers.forName("fixed")).isInstanceOf(FixedSizeChunker.class);
        assertThat(Chunkers.forName("paragraph")).isInstanceOf(ParagraphChunker.class);
        assertThat(Chunkers.forName("semantic")).isInstanceOf(SemanticChunker.class);
        for (String name : Chunkers.names()) {
            assertThat(Chunkers.forName(name).name()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Fixed", "SEMANTIC", " paragraph", "sentence", "recursive"})
    void shouldRejectAnyOtherName(String name) {
        assertThatThrownBy(() -> Chunkers.forName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed").hasMessageContaining("paragraph").hasMessageContaining("semantic");
    }

    @Test
    void shouldNotLetCallersChangeTheNames() {
        assertThatThrownBy(() -> Chunkers.names().add("mine")).isInstanceOf(UnsupportedOperationException.class);
    }
}
