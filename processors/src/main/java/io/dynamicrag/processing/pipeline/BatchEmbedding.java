package io.dynamicrag.processing.pipeline;

import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.EmbeddingFailedException;
import io.dynamicrag.processing.embedding.EmbeddingResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Embeds a document's chunks in batches and adds up what the model billed. */
final class BatchEmbedding {

    private static final int EMBEDDING_BATCH = 32;

    private BatchEmbedding() {
    }

    static Usage embed(Embedder embedder, List<Chunk> chunks) {
        List<float[]> vectors = new ArrayList<>(chunks.size());
        long tokens = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (int from = 0; from < chunks.size(); from += EMBEDDING_BATCH) {
            List<String> batch = chunks.subList(from, Math.min(from + EMBEDDING_BATCH, chunks.size()))
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

    /** The embedding service's message reaches the user; only a transient failure is worth another attempt. */
    static PipelineStepException asStepFailure(EmbeddingFailedException e) {
        return e.isTransient() ? new PipelineStepException(e.getMessage(), e)
                : new PermanentStepException(e.getMessage(), e);
    }

    /** Vectors of a document, the tokens the model billed (or would bill) for them, and their price. */
    record Usage(List<float[]> vectors, long tokens, BigDecimal cost) {
    }
}
