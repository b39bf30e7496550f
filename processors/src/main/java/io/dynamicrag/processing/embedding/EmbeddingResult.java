package io.dynamicrag.processing.embedding;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * Vectors for a list of texts, in the texts' order, with what producing them used and cost.
 *
 * @param vectors    one per input text, same order
 * @param model      the catalogue name of the model, e.g. {@code text-embedding-3-small}
 * @param dimensions the length of every vector
 * @param tokens     tokens consumed: the server's {@code usage.total_tokens} where it reported one, else counted with
 *                   {@link TokenCounter} (cl100k_base)
 * @param cost       US dollars, exact ({@link EmbeddingModels#cost(long)}); zero for the local model
 */
public record EmbeddingResult(List<float[]> vectors, String model, int dimensions, long tokens, BigDecimal cost) {

    public EmbeddingResult {
        vectors = List.copyOf(vectors);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cost, "cost");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative: " + tokens);
        }
    }
}
