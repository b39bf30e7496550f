package io.dynamicrag.processing.embedding;

import java.util.List;

/** Turns texts into vectors of one model. Never mix vectors of two models in one index. */
public interface Embedder {

    String modelName();

    int dimensions();

    List<float[]> embedAll(List<String> texts);

    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }
}
