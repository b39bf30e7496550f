package io.dynamicrag.processing.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the raw throughput of the local embedding model on this machine: chunks of about {@code chars}
 * characters, embedded in batches of 32 as the pipeline does. Run by {@code scripts/bench-pipeline.sh} next to the
 * end-to-end figures, so the two can be compared. Usage: {@code EmbeddingThroughputBenchmark [chunks] [chars]}.
 */
public final class EmbeddingThroughputBenchmark {

    private EmbeddingThroughputBenchmark() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int chars = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int n = 0;
            while (text.length() < chars) {
                text.append("Paragraph ").append(i).append('.').append(n++)
                        .append(": the quarterly report lists revenue, churn and hiring plans for the region. ");
            }
            texts.add(text.substring(0, chars));
        }
        LocalMiniLmEmbedder embedder = new LocalMiniLmEmbedder();
        embedder.embedAll(texts.subList(0, Math.min(32, count)));  // warm-up: load the model, JIT
        long start = System.nanoTime();
        for (int from = 0; from < count; from += 32) {
            embedder.embedAll(texts.subList(from, Math.min(from + 32, count)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("raw model (%s): %d chunks of %d chars in %.2f s = %.1f chunks/s%n",
                embedder.modelName(), count, chars, seconds, count / seconds);
    }
}
