package io.dynamicrag.processing.embedding;

import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingModelsTest {

    @Test
    void shouldListTheModelsWithTheirSizesAndTheSeedsPrices() {
        assertThat(EmbeddingModels.ALL_MINILM_L6_V2.dimensions()).isEqualTo(384);
        assertThat(EmbeddingModels.ALL_MINILM_L6_V2.isLocal()).isTrue();
        assertThat(EmbeddingModels.ALL_MINILM_L6_V2.usdPerMillionTokens()).isEqualByComparingTo("0");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.dimensions()).isEqualTo(1536);
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.usdPerMillionTokens()).isEqualByComparingTo("0.02");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_LARGE.dimensions()).isEqualTo(3072);
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_LARGE.usdPerMillionTokens()).isEqualByComparingTo("0.13");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_ADA_002.dimensions()).isEqualTo(1536);
        assertThat(EmbeddingModels.TEXT_EMBEDDING_ADA_002.usdPerMillionTokens()).isEqualByComparingTo("0.10");
        for (EmbeddingModels model : EmbeddingModels.values()) {
            assertThat(model.encoding()).isEqualTo(EncodingType.CL100K_BASE);
            if (!model.isLocal()) {
                assertThat(model.maxInputTokens()).isEqualTo(8191);
            }
        }
        assertThat(EmbeddingModels.DEFAULT.modelName()).isEqualTo(LocalMiniLmEmbedder.MODEL_NAME);
    }

    @Test
    void shouldPriceAMillionTokensOfTextEmbedding3SmallAtTwoCents() {
        BigDecimal cost = EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(1_000_000);

        assertThat(cost).isEqualByComparingTo("0.020000");
        assertThat(cost.setScale(6).toPlainString()).isEqualTo("0.020000");
    }

    @Test
    void shouldPriceExactlyWithoutFloatingPoint() {
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(1)).isEqualTo(new BigDecimal("0.00000002"));
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_LARGE.cost(1_000_000)).isEqualByComparingTo("0.13");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_ADA_002.cost(1_000_000)).isEqualByComparingTo("0.10");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_LARGE.cost(123_456_789))
                .isEqualTo(new BigDecimal("16.04938257"));
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(Long.MAX_VALUE))
                .isEqualTo(new BigDecimal("184467440737.09551614"));
        assertThat(EmbeddingModels.ALL_MINILM_L6_V2.cost(5_000_000)).isEqualByComparingTo("0");
        assertThat(EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(0).scale()).isGreaterThanOrEqualTo(6);
        assertThatThrownBy(() -> EmbeddingModels.TEXT_EMBEDDING_3_SMALL.cost(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindModelsByTheirNames() {
        assertThat(EmbeddingModels.find(" Text-Embedding-3-Small ")).contains(EmbeddingModels.TEXT_EMBEDDING_3_SMALL);
        assertThat(EmbeddingModels.find("all-minilm-l6-v2")).contains(EmbeddingModels.ALL_MINILM_L6_V2);
        assertThat(EmbeddingModels.find("nope")).isEmpty();
        assertThat(EmbeddingModels.find(null)).isEmpty();
        assertThatThrownBy(() -> EmbeddingModels.require("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown embedding model 'nope'")
                .hasMessageContaining("text-embedding-3-large");
    }
}
