package io.dynamicrag.processing.embedding;

import java.math.BigDecimal;
import java.util.List;

/** Turns texts into vectors of one model. Never mix vectors of two models in one index. */
public interface Embedder {

    String modelName();

    int dimensions();

    /**
     * How many texts one call to {@link #embedAll} should carry: the local model embeds a call's texts in parallel on
     * the machine's cores, so a few dozen keep them busy; a remote API splits a call into requests by its own limits
     * (OpenAI: 2,048 inputs, a token budget), so it takes a whole document at once.
     */
    default int preferredBatchSize() {
        return 32;
    }

    /** One vector per text, in the texts' order. */
    List<float[]> embedAll(List<String> texts);

    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    /**
     * {@link #embedAll(List)} plus what it used: tokens and cost. This default suits models that report no usage
     * (the local one): tokens are counted with {@link TokenCounter} for the model's encoding (cl100k_base), cost comes
     * from the {@link EmbeddingModels} catalogue (zero for the local model, and for a model the catalogue lacks).
     */
    default EmbeddingResult embedWithUsage(List<String> texts) {
        List<float[]> vectors = embedAll(texts);
        var model = EmbeddingModels.find(modelName());
        TokenCounter counter = model.map(TokenCounter::forModel).orElseGet(TokenCounter::cl100k);
        long tokens = counter.countAll(texts);
        BigDecimal cost = model.map(m -> m.cost(tokens))
                .orElse(BigDecimal.ZERO.setScale(EmbeddingModels.COST_SCALE));
        return new EmbeddingResult(vectors, modelName(), dimensions(), tokens, cost);
    }
}
