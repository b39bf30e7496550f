package io.dynamicrag.processing.embedding;

import com.knuddels.jtokkit.api.EncodingType;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of embedding models a tenant can choose as its {@code embedding_model}: the name the tenant writes
 * (and the API expects), who runs it, its vector size, its price and the tokenizer whose counts the usage metrics and
 * the price are based on.
 *
 * <p>Prices are the seed design's {@code PRICING} table (US dollars per 1M tokens), kept as {@link BigDecimal} so a
 * cost is exact: {@link #cost(long)} never goes through floating point.
 *
 * <p>Token counts are cl100k_base for every model, the local one included: for the OpenAI models that is the
 * tokenizer OpenAI bills with; for {@code all-minilm-l6-v2} (its own WordPiece tokenizer is a different unit) the
 * count is "tokens by cl100k, for comparability", so a tenant's token usage means the same thing whichever model it
 * chose, and equals what the same text would cost in tokens on OpenAI.
 */
public enum EmbeddingModels {

    /** Runs in-process (ONNX); free. Longer texts are windowed by the model itself, so no per-input cap here. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", Provider.LOCAL, 384, "0", EncodingType.CL100K_BASE, Integer.MAX_VALUE),
    TEXT_EMBEDDING_3_SMALL("text-embedding-3-small", Provider.OPENAI, 1536, "0.02", EncodingType.CL100K_BASE, 8191),
    TEXT_EMBEDDING_3_LARGE("text-embedding-3-large", Provider.OPENAI, 3072, "0.13", EncodingType.CL100K_BASE, 8191),
    TEXT_EMBEDDING_ADA_002("text-embedding-ada-002", Provider.OPENAI, 1536, "0.10", EncodingType.CL100K_BASE, 8191);

    /** Where the model runs. */
    public enum Provider { LOCAL, OPENAI }

    /** The model a tenant gets when it chose none. */
    public static final EmbeddingModels DEFAULT = ALL_MINILM_L6_V2;

    /** Costs carry at least this many decimals: $0.02/1M is $0.00000002 per token, exact at 8. */
    public static final int COST_SCALE = 8;

    private static final BigDecimal ONE_MILLION = BigDecimal.valueOf(1_000_000);

    private final String modelName;
    private final Provider provider;
    private final int dimensions;
    private final BigDecimal usdPerMillionTokens;
    private final EncodingType encoding;
    private final int maxInputTokens;

    EmbeddingModels(String modelName, Provider provider, int dimensions, String usdPerMillionTokens,
                    EncodingType encoding, int maxInputTokens) {
        this.modelName = modelName;
        this.provider = provider;
        this.dimensions = dimensions;
        this.usdPerMillionTokens = new BigDecimal(usdPerMillionTokens);
        this.encoding = encoding;
        this.maxInputTokens = maxInputTokens;
    }

    /** The name tenants configure and the API is sent, e.g. {@code text-embedding-3-small}. */
    public String modelName() {
        return modelName;
    }

    public Provider provider() {
        return provider;
    }

    public boolean isLocal() {
        return provider == Provider.LOCAL;
    }

    /** Length of every vector the model returns. */
    public int dimensions() {
        return dimensions;
    }

    /** US dollars per 1,000,000 tokens (the seed's PRICING table; 0 for the local model). */
    public BigDecimal usdPerMillionTokens() {
        return usdPerMillionTokens;
    }

    /** The tokenizer usage and cost are counted with (cl100k_base for all; see the class comment). */
    public EncodingType encoding() {
        return encoding;
    }

    /** The most tokens one input may have (8191 for the OpenAI models); longer inputs are refused, not truncated. */
    public int maxInputTokens() {
        return maxInputTokens;
    }

    /**
     * The exact price in US dollars of {@code tokens} tokens: {@code tokens × price / 1,000,000}, with a scale of at
     * least {@value #COST_SCALE} (so 1,000,000 tokens of text-embedding-3-small is {@code 0.02000000}). No rounding
     * happens here; round only where a value is stored with fewer decimals.
     */
    public BigDecimal cost(long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative: " + tokens);
        }
        BigDecimal exact = usdPerMillionTokens.multiply(BigDecimal.valueOf(tokens)).divide(ONE_MILLION);
        return exact.scale() < COST_SCALE ? exact.setScale(COST_SCALE) : exact;
    }

    /** The model called {@code name} (case and surrounding blanks ignored), if the catalogue has it. */
    public static Optional<EmbeddingModels> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.modelName.equals(wanted)).findFirst();
    }

    /** The model called {@code name}, or an exception that lists the models there are. */
    public static EmbeddingModels require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown embedding model '" + name + "'; known models: " + knownNames()));
    }

    /** The catalogue's names, comma-separated, for messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(EmbeddingModels::modelName).collect(Collectors.joining(", "));
    }
}
