package io.dynamicrag.kernel.usage.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** What a usage record counts; the code is the seed's {@code usage_metrics.metric_type}. */
public enum UsageMetric {
    /** Authenticated API requests (quantity: requests). */
    API_CALL("api_call"),
    /** Tokens sent to an embedding model (quantity: tokens; cost: the model's price). */
    EMBEDDING_TOKENS("embedding_tokens"),
    /** Raw bytes stored by a submitted document version (quantity: bytes). */
    STORAGE_BYTES("storage_bytes"),
    /** Searches run, over REST or MCP (quantity: searches). */
    SEARCH_QUERY("search_query"),
    /** Document versions that finished processing (quantity: documents). */
    DOCUMENT_PROCESSED("document_processed");

    private final String code;

    UsageMetric(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public static Optional<UsageMetric> fromCode(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }

    @JsonCreator
    public static UsageMetric of(String code) {
        return fromCode(code).orElseThrow(() -> new IllegalArgumentException("unknown usage metric: " + code));
    }
}
