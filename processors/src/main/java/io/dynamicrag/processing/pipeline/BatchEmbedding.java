package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.EmbeddingFailedException;
import io.dynamicrag.processing.embedding.EmbeddingResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Embeds a document's chunks in batches of the embedder's preferred size and adds up what the model billed. */
final class BatchEmbedding {

    private BatchEmbedding() {
    }

    static Usage embed(Embedder embedder, List<Chunk> chunks) {
        List<float[]> vectors = new ArrayList<>(chunks.size());
        long tokens = 0;
        BigDecimal cost = BigDecimal.ZERO;
        int batchSize = Math.max(1, embedder.preferredBatchSize());
        for (int from = 0; from < chunks.size(); from += batchSize) {
            List<String> batch = chunks.subList(from, (int) Math.min((long) from + batchSize, chunks.size()))
                    .stream().map(Chunk::text).toList();
            EmbeddingResult result;
            try {
                result = embedder.embedWithUsage(batch);
            } catch (EmbeddingFailedException e) {
                throw asStepFailure(e);
            }
            vectors.addAll(result.vectors());
            tokens += result.tokens();
            cost = cost.add(result.cost());
        }
        return new Usage(vectors, tokens, cost);
    }

    /**
     * The embedding service's message reaches the user. The step does not try again: an embedder that calls a
     * service has its own retry policy (OpenAiEmbedder: attempts with backoff, honouring Retry-After) and has used it
     * up by the time it gives up, so retrying the step as well multiplied the attempts (3 x 3) and the wait.
     */
    static PipelineStepException asStepFailure(EmbeddingFailedException e) {
        return new PermanentStepException(e.getMessage(), e);
    }

    /** Vectors of a document, the tokens the model billed (or would bill) for them, and their price. */
    record Usage(List<float[]> vectors, long tokens, BigDecimal cost) {
    }
}
