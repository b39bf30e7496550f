package io.dynamicrag.processing.embedding;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact token counts with jtokkit, a Java port of OpenAI's tiktoken: the same numbers OpenAI bills (cl100k_base for
 * the embedding models). Replaces the seed's {@code Math.ceil(length / 4)} estimate.
 *
 * <p>Text is counted as ordinary text: a document that happens to contain {@code <|endoftext|>} is counted, not
 * refused. Instances are immutable and thread-safe; the encodings load lazily, once per JVM (the lazy registry is
 * used rather than {@code newDefaultEncodingRegistry()}, which would also load r50k/p50k/o200k that nothing here
 * needs).
 */
public final class TokenCounter {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Map<EncodingType, TokenCounter> COUNTERS = new ConcurrentHashMap<>();

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The counter for one encoding, e.g. {@link EncodingType#CL100K_BASE}. */
    public static TokenCounter of(EncodingType type) {
        return COUNTERS.computeIfAbsent(type, t -> new TokenCounter(REGISTRY.getEncoding(t)));
    }

    /** cl100k_base: the tokenizer of text-embedding-3-small/-large and ada-002. */
    public static TokenCounter cl100k() {
        return of(EncodingType.CL100K_BASE);
    }

    /** The counter whose counts {@code model}'s usage and cost are based on. */
    public static TokenCounter forModel(EmbeddingModels model) {
        return of(model.encoding());
    }

    /** e.g. {@code cl100k_base}. */
    public String encodingName() {
        return encoding.getName();
    }

    /** Tokens in {@code text} ({@code "hello world"} is 2 in cl100k_base); 0 for null or empty. */
    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encoding.countTokensOrdinary(text);
    }

    /** The sum of {@link #count(String)} over {@code texts}. */
    public long countAll(List<String> texts) {
        long total = 0;
        for (String text : texts) {
            total += count(text);
        }
        return total;
    }
}
