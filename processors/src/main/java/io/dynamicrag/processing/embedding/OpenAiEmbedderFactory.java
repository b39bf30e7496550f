package io.dynamicrag.processing.embedding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Hands out one {@link OpenAiEmbedder} per (base URL, model, key) and keeps the most recently used ones (1000 by
 * default), so a tenant's HTTP client and its connections are reused from one document to the next. The cache is
 * keyed by the SHA-256 of the key, never the key itself; a tenant that changes its key simply gets a new entry, and
 * the old one ages out.
 *
 * <p>The base URL comes from configuration ({@code rag.openai.base-url}, default {@value #DEFAULT_BASE_URL});
 * point it at any OpenAI-compatible server. No Spring annotations: the configuration class builds it.
 *
 * <p>Evicted embedders are not closed (another thread may still be using one); OkHttp frees idle connections and
 * threads by itself. {@link #close()} closes those still cached.
 */
public final class OpenAiEmbedderFactory implements AutoCloseable {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final int DEFAULT_MAX_CACHED = 1000;

    private final String baseUrl;
    private final OpenAiEmbedder.RetryPolicy retry;
    private final OpenAiEmbedder.BatchLimits limits;
    private final Duration timeout;
    private final int maxCached;
    private final Map<String, OpenAiEmbedder> cache;

    /** The API at {@value #DEFAULT_BASE_URL}, default retries, batches and timeout. */
    public OpenAiEmbedderFactory() {
        this(DEFAULT_BASE_URL, OpenAiEmbedder.RetryPolicy.DEFAULT);
    }

    /** {@code baseUrl} ({@code rag.openai.base-url}) with the given retries; default batches and timeout. */
    public OpenAiEmbedderFactory(String baseUrl, OpenAiEmbedder.RetryPolicy retry) {
        this(baseUrl, retry, OpenAiEmbedder.BatchLimits.DEFAULT, OpenAiEmbedder.DEFAULT_TIMEOUT, DEFAULT_MAX_CACHED);
    }

    public OpenAiEmbedderFactory(String baseUrl, OpenAiEmbedder.RetryPolicy retry,
                                 OpenAiEmbedder.BatchLimits limits, Duration timeout, int maxCached) {
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.trim();
        this.retry = Objects.requireNonNull(retry, "retry");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (maxCached < 1) {
            throw new IllegalArgumentException("maxCached must be positive: " + maxCached);
        }
        this.maxCached = maxCached;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OpenAiEmbedder> eldest) {
                return size() > OpenAiEmbedderFactory.this.maxCached;
            }
        };
    }

    /** The configured base URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The embedder for {@code modelName} (an OpenAI model of the {@link EmbeddingModels} catalogue) with the tenant's
     * {@code apiKey}, at the configured base URL.
     *
     * @throws IllegalArgumentException if the model is unknown or is not an OpenAI model
     * @throws EmbeddingFailedException if the key is missing
     */
    public OpenAiEmbedder embedder(String apiKey, String modelName) {
        return embedder(apiKey, baseUrl, modelName);
    }

    /** As {@link #embedder(String, String)}, at another base URL. */
    public OpenAiEmbedder embedder(String apiKey, String baseUrl, String modelName) {
        EmbeddingModels model = EmbeddingModels.require(modelName);
        if (model.provider() != EmbeddingModels.Provider.OPENAI) {
            throw new IllegalArgumentException(model.modelName() + " is not an OpenAI model; it runs locally");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new EmbeddingFailedException("no OpenAI API key is set for this tenant; " + model.modelName()
                    + " needs one", null, false);
        }
        String url = baseUrl == null || baseUrl.isBlank() ? this.baseUrl : baseUrl.trim();
        String key = url + "\n" + model.modelName() + "\n" + sha256(apiKey);
        synchronized (cache) {
            OpenAiEmbedder embedder = cache.get(key);
            if (embedder == null) {
                embedder = new OpenAiEmbedder(apiKey, url, model, retry, limits, timeout);
                cache.put(key, embedder);
            }
            return embedder;
        }
    }

    /** How many embedders are cached now. */
    public int cachedCount() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public void close() {
        List<OpenAiEmbedder> open;
        synchronized (cache) {
            open = new ArrayList<>(cache.values());
            cache.clear();
        }
        open.forEach(OpenAiEmbedder::close);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
