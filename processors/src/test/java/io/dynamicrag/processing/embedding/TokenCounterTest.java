package io.dynamicrag.processing.embedding;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCounterTest {

    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry()
            .getEncoding(EncodingType.CL100K_BASE);

    @Test
    void shouldCountHelloWorldAsTwoCl100kTokens() {
        assertThat(TokenCounter.cl100k().count("hello world")).isEqualTo(2);
        assertThat(TokenCounter.cl100k().encodingName()).isEqualTo("cl100k_base");
    }

    @Test
    void shouldCountExactlyAsJtokkitDoes() {
        List<String> texts = List.of(
                "The quick brown fox jumps over the lazy dog.",
                "Qu'est-ce que la recherche sémantique ?",
                "数据库向量索引",
                "def f(x):\n    return x ** 2  # 🚀",
                "tiktoken is great!");
        for (String text : texts) {
            assertThat(TokenCounter.cl100k().count(text)).as(text).isEqualTo(CL100K.countTokens(text));
        }
        assertThat(TokenCounter.cl100k().countAll(texts))
                .isEqualTo(texts.stream().mapToLong(CL100K::countTokens).sum());
        assertThat(TokenCounter.cl100k().count("tiktoken is great!")).isEqualTo(6);
    }

    @Test
    void shouldCountSpecialTokenTextAsOrdinaryTextInsteadOfFailing() {
        assertThat(TokenCounter.cl100k().count("a <|endoftext|> b")).isGreaterThan(3);
    }

    @Test
    void shouldCountNothingForEmptyText() {
        assertThat(TokenCounter.cl100k().count("")).isZero();
        assertThat(TokenCounter.cl100k().count(null)).isZero();
        assertThat(TokenCounter.cl100k().countAll(List.of())).isZero();
    }

    @Test
    void shouldUseTheModelsEncoding() {
        assertThat(TokenCounter.forModel(EmbeddingModels.TEXT_EMBEDDING_3_LARGE)).isSameAs(TokenCounter.cl100k());
        assertThat(TokenCounter.forModel(EmbeddingModels.ALL_MINILM_L6_V2)).isSameAs(TokenCounter.cl100k());
    }
}
