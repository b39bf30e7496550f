package io.dynamicrag.processing.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantised) running in-process on ONNX Runtime; the model ships inside the jar, so embedding
 * needs no network and no key. 384 dimensions, normalised vectors.
 */
public class LocalMiniLmEmbedder implements Embedder {

    public static final String MODEL_NAME = "all-minilm-l6-v2";
    private static final int DIMENSIONS = 384;

    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public String modelName() {
        return MODEL_NAME;
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }
}
