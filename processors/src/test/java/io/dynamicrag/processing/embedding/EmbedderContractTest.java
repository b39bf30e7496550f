package io.dynamicrag.processing.embedding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * What every {@link Embedder} must do, whoever runs the model; one subclass per adapter
 * ({@link LocalMiniLmEmbedderTest}, {@link OpenAiEmbedderTest} against {@link FakeOpenAiServer}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmbedderContractTest {

    static final List<String> TEXTS = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Event sourcing stores every change as an event.",
            "Qu'est-ce que la recherche sémantique ?",
            "数据库向量索引");

    protected Embedder embedder;

    /** The adapter under test (created once per test class: models are expensive to load). */
    protected abstract Embedder createEmbedder() throws Exception;

    /** The catalogue entry the adapter runs. */
    protected abstract EmbeddingModels expectedModel();

    /** Tolerance when comparing vectors of the same text produced in different calls. */
    protected float tolerance() {
        return 0f;
    }

    @BeforeAll
    void createAdapter() throws Exception {
        embedder = createEmbedder();
    }

    @AfterAll
    void closeAdapter() throws Exception {
        if (embedder instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void shouldNameItsModelAndDimensionsAsTheCatalogueDoes() {
        assertThat(embedder.modelName()).isEqualTo(expectedModel().modelName());
        assertThat(embedder.dimensions()).isEqualTo(expectedModel().dimensions());
    }

    @Test
    void shouldReturnOneVectorPerInputOfTheModelsDimensions() {
        List<float[]> vectors = embedder.embedAll(TEXTS);

        assertThat(vectors).hasSize(TEXTS.size());
        assertThat(vectors).allSatisfy(v -> assertThat(v).hasSize(expectedModel().dimensions()));
    }

    @Test
    void shouldBeDeterministicForTheSameInput() {
        float[] first = embedder.embed(TEXTS.get(1));
        float[] second = embedder.embed(TEXTS.get(1));

        assertArrayEquals(first, second, tolerance());
    }

    @Test
    void shouldKeepTheInputOrder() {
        List<float[]> together = embedder.embedAll(TEXTS);

        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(embedder.embed(TEXTS.get(i)), together.get(i), Math.max(tolerance(), 1e-4f),
                    "vector " + i + " belongs to input " + i);
        }
        assertThat(together.get(0)).isNotEqualTo(together.get(1));
    }

    @Test
    void shouldReportTokensAndACostConsistentWithTheCatalogue() {
        EmbeddingResult result = embedder.embedWithUsage(TEXTS);

        assertThat(result.vectors()).hasSize(TEXTS.size());
        assertThat(result.model()).isEqualTo(expectedModel().modelName());
        assertThat(result.dimensions()).isEqualTo(expectedModel().dimensions());
        assertThat(result.tokens()).isPositive().isEqualTo(TokenCounter.cl100k().countAll(TEXTS));
        assertThat(result.cost()).isEqualByComparingTo(expectedModel().cost(result.tokens()));
        assertThat(result.cost().scale()).isGreaterThanOrEqualTo(6);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertArrayEquals(embedder.embed(TEXTS.get(i)), result.vectors().get(i), Math.max(tolerance(), 1e-4f));
        }
    }
}
