package io.dynamicrag.processing.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * For benchmarks only ({@code rag.embedding.benchmark-hashing=true}): stands in for the local model at almost no CPU
 * cost, so a benchmark can measure everything else the pipeline does. Vectors come from feature hashing (each lower
 * case word adds to one of the 384 dimensions, then the vector is scaled to unit length): texts that share words are
 * near each other, which keeps search answering, but the quality is nothing like the model's. It reports the local
 * model's name and size, because the tenant's index generation is the local model's.
 */
public class HashingBenchmarkEmbedder implements Embedder {

    private static final int DIMENSIONS = 384;

    @Override
    public String modelName() {
        return LocalMiniLmEmbedder.MODEL_NAME;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public int preferredBatchSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(vectorOf(text));
        }
        return vectors;
    }

    static float[] vectorOf(String text) {
        float[] vector = new float[DIMENSIONS];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1f;
            }
        }
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        if (norm == 0) {
            vector[0] = 1f;
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] *= scale;
        }
        return vector;
    }
}
