package io.dynamicrag.processing.embedding;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local all-MiniLM-L6-v2 model against the embedder contract. */
class LocalMiniLmEmbedderTest extends EmbedderContractTest {

    @Override
    protected Embedder createEmbedder() {
        return new LocalMiniLmEmbedder();
    }

    @Override
    protected EmbeddingModels expectedModel() {
        return EmbeddingModels.ALL_MINILM_L6_V2;
    }

    @Override
    protected float tolerance() {
        return 1e-6f;
    }

    @Test
    void shouldCostNothingAndCountTokensByCl100k() {
        EmbeddingResult result = embedder.embedWithUsage(List.of("hello world"));

        assertThat(result.tokens()).isEqualTo(2);
        assertThat(result.cost()).isEqualByComparingTo(BigDecimal.ZERO);
    }
}
