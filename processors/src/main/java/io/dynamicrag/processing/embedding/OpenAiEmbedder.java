package io.dynamicrag.processing.embedding;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Embeddings from the OpenAI API, or any server that speaks its {@code POST /embeddings} wire format, with one
 * tenant's own key. Built once per (key, base URL, model); thread-safe.
 *
 * <ul>
 *   <li>Batching: inputs are sent in requests of at most {@link BatchLimits#maxInputsPerRequest()} inputs (the API's
 *       2048) and about {@link BatchLimits#maxTokensPerRequest()} tokens, counted with {@link TokenCounter} before
 *       sending. An input longer than the model accepts (8191 tokens) is refused with an
 *       {@link EmbeddingFailedException} before anything is sent: silently truncated text would be searchable only
 *       in part, so the chunker has to make smaller chunks.</li>
 *   <li>Retries: on 408/409/429/5xx and network failures, up to {@link RetryPolicy#maxAttempts()} attempts with
 *       exponential backoff from {@link RetryPolicy#initialBackoff()}, waiting what the server asks instead when it
 *       sends {@code retry-after-ms} or {@code Retry-After} (both capped at {@link RetryPolicy#maxBackoff()}), and
 *       following the server's {@code x-should-retry} when present. Nothing else is retried: 400/401/403/404 and a
 *       429 for an exhausted quota fail at once. The SDK's own retries are off, so attempts are counted in one
 *       place.</li>
 *   <li>Failures become {@link EmbeddingFailedException} with a message for the user that never contains the key
 *       (nor the server's text for auth failures, which echoes part of it).</li>
 *   <li>Vectors come back in input order (sorted by the response's {@code index}); their count and size are checked,
 *       so a misconfigured compatible server cannot put vectors of the wrong size into an index.</li>
 * </ul>
 */
public final class OpenAiEmbedder implements Embedder, AutoCloseable {

    /**
     * How failed requests are retried.
     *
     * @param maxAttempts    attempts in all, the first included (3 by default)
     * @param initialBackoff wait after the first failure, doubled after each further one (2 s by default)
     * @param maxBackoff     no wait is longer than this, a server's Retry-After included (30 s by default)
     */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

        public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(30));

        public RetryPolicy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
                throw new IllegalArgumentException("backoffs must not be negative");
            }
        }

        /** The wait before attempt {@code failedAttempts + 1} when the server said nothing. */
        Duration backoffAfter(int failedAttempts) {
            Duration wait = initialBackoff;
            for (int i = 1; i < failedAttempts && wait.compareTo(maxBackoff) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        }
    }

    /**
     * How inputs are grouped into requests.
     *
     * @param maxInputsPerRequest at most this many inputs per request (the API allows 2048)
     * @param maxTokensPerRequest a request's inputs add up to at most this many tokens (100,000 by default; the API
     *                            allows 300,000); an input alone is sent alone whatever its size, up to the model's
     *                            per-input limit
     */
    public record BatchLimits(int maxInputsPerRequest, long maxTokensPerRequest) {

        public static final BatchLimits DEFAULT = new BatchLimits(2048, 100_000);

        public BatchLimits {
            if (maxInputsPerRequest < 1 || maxInputsPerRequest > 2048) {
                throw new IllegalArgumentException("maxInputsPerRequest must be 1..2048: " + maxInputsPerRequest);
            }
            if (maxTokensPerRequest < 1) {
                throw new IllegalArgumentException("maxTokensPerRequest must be positive: " + maxTokensPerRequest);
            }
        }
    }

    /** The default timeout of one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_\\-*.]{3,}");
    private static final int MAX_SERVER_TEXT = 300;

    private final EmbeddingModels model;
    private final String baseUrl;
    private final String apiKey;
    private final RetryPolicy retry;
    private final BatchLimits limits;
    private final TokenCounter tokens;
    private final Duration timeout;
    private final OpenAIClient client;

    /** With the default retries, batches and timeout. */
    public OpenAiEmbedder(String apiKey, String baseUrl, EmbeddingModels model) {
        this(apiKey, baseUrl, model, RetryPolicy.DEFAULT, BatchLimits.DEFAULT, DEFAULT_TIMEOUT);
    }

    public OpenAiEmbedder(String apiKey, String baseUrl, EmbeddingModels model, RetryPolicy retry,
                          BatchLimits limits, Duration timeout) {
        Objects.requireNonNull(model, "model");
        if (model.provider() != EmbeddingModels.Provider.OPENAI) {
            throw new IllegalArgumentException(model.modelName() + " is not an OpenAI embedding model");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new EmbeddingFailedException("no OpenAI API key is set for this tenant; " + model.modelName()
                    + " needs one", null, false);
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl must not be blank");
        }
        this.model = model;
        this.baseUrl = stripTrailingSlash(baseUrl.trim());
        this.apiKey = apiKey;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.tokens = TokenCounter.forModel(model);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = OpenAIOkHttpClient.builder()
                .apiKey(apiKey)
                .baseUrl(this.baseUrl)
                .maxRetries(0)
                .timeout(Objects.requireNonNull(timeout, "timeout"))
                .build();
    }

    @Override
    public String modelName() {
        return model.modelName();
    }

    /** A whole document per call: {@link BatchLimits} split it into requests. */
    @Override
    public int preferredBatchSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    public EmbeddingModels model() {
        return model;
    }

    /** The base URL requests go to, e.g. {@code https://api.openai.com/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return embedWithUsage(texts).vectors();
    }

    @Override
    public EmbeddingResult embedWithUsage(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return new EmbeddingResult(List.of(), modelName(), dimensions(), 0, model.cost(0));
        }
        int[] counts = countAndCheck(texts);
        List<float[]> vectors = new ArrayList<>(texts.size());
        long usedTokens = 0;
        int from = 0;
        while (from < texts.size()) {
            int to = from;
            long batchTokens = 0;
            while (to < texts.size() && to - from < limits.maxInputsPerRequest()
                    && (to == from || batchTokens + counts[to] <= limits.maxTokensPerRequest())) {
                batchTokens += counts[to];
                to++;
            }
            Batch batch = send(texts.subList(from, to));
            vectors.addAll(batch.vectors());
            usedTokens += batch.reportedTokens().orElse(batchTokens);
            from = to;
        }
        return new EmbeddingResult(vectors, modelName(), dimensions(), usedTokens, model.cost(usedTokens));
    }

    private int[] countAndCheck(List<String> texts) {
        int[] counts = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isEmpty()) {
                throw new EmbeddingFailedException("input #" + (i + 1) + " of " + texts.size()
                        + " is empty; the OpenAI embeddings API does not embed empty text", null, false);
            }
            counts[i] = tokens.count(text);
            if (counts[i] > model.maxInputTokens()) {
                throw new EmbeddingFailedException("input #" + (i + 1) + " of " + texts.size() + " has "
                        + counts[i] + " tokens; " + model.modelName() + " accepts at most " + model.maxInputTokens()
                        + " tokens per input: use smaller chunks", null, false);
            }
        }
        return counts;
    }

    private record Batch(List<float[]> vectors, Optional<Long> reportedTokens) {
    }

    private Batch send(List<String> inputs) {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder()
                .model(model.modelName())
                .inputOfArrayOfStrings(inputs)
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                return toBatch(client.embeddings().create(params), inputs.size());
            } catch (OpenAIServiceException e) {
                Failure failure = classify(e);
                if (!failure.retryable() || attempt >= retry.maxAttempts()) {
                    throw failure.exception(attempt);
                }
                pause(serverAskedWait(e.headers()).orElse(retry.backoffAfter(attempt)));
            } catch (OpenAIIoException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new EmbeddingFailedException("embedding was interrupted", null, true, e.getCause());
                }
                if (attempt >= retry.maxAttempts()) {
                    String attempts = attempt + " attempt" + (attempt == 1 ? "" : "s");
                    // a server that accepted the connection and then stayed silent was reached: say what happened
                    // (the root cause of OkHttp's call time-out is only "SocketException: Socket closed")
                    String what = timedOut(e)
                            ? "the embeddings server at " + baseUrl + " did not answer any of " + attempts
                              + " within the " + seconds(timeout) + " time-out"
                            : "could not reach the embeddings server at " + baseUrl + " after " + attempts + " ("
                              + rootCauseName(e) + ")";
                    throw new EmbeddingFailedException(what, null, true, e.getCause() != null ? e.getCause() : e);
                }
                pause(retry.backoffAfter(attempt));
            } catch (OpenAIException e) {
                throw new EmbeddingFailedException("the embeddings server at " + baseUrl
                        + " did not answer like the OpenAI embeddings API (" + e.getClass().getSimpleName() + ")",
                        null, false);
            }
        }
    }

    private Batch toBatch(CreateEmbeddingResponse response, int expected) {
        List<Embedding> data = new ArrayList<>(response.data());
        if (data.size() != expected) {
            throw new EmbeddingFailedException("the embeddings server answered " + data.size() + " vectors for "
                    + expected + " inputs", null, false);
        }
        data.sort(Comparator.comparingLong(Embedding::index));
        List<float[]> vectors = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            Embedding embedding = data.get(i);
            if (embedding.index() != i) {
                throw new EmbeddingFailedException("the embeddings server answered indexes that do not match the "
                        + expected + " inputs", null, false);
            }
            float[] vector = toFloats(embedding.embeddingValue());
            if (vector.length != model.dimensions()) {
                throw new EmbeddingFailedException("the embeddings server answered vectors of " + vector.length
                        + " dimensions; " + model.modelName() + " has " + model.dimensions()
                        + ": is the base URL serving another model?", null, false);
            }
            vectors.add(vector);
        }
        Optional<Long> reported = response._usage().asKnown()
                .flatMap(usage -> usage._totalTokens().asKnown().or(() -> usage._promptTokens().asKnown()));
        return new Batch(vectors, reported);
    }

    /** The API sends float arrays or, when asked ({@code encoding_format: base64}), little-endian float32 bytes. */
    static float[] toFloats(EmbeddingValue value) {
        if (value.isBase64()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(value.asBase64()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer floats = bytes.asFloatBuffer();
            float[] vector = new float[floats.remaining()];
            floats.get(vector);
            return vector;
        }
        List<Float> list = value.asFloats();
        float[] vector = new float[list.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = list.get(i);
        }
        return vector;
    }

    private record Failure(boolean retryable, int status, String message) {
        EmbeddingFailedException exception(int attempts) {
            String text = retryable
                    ? message + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                    : message;
            return new EmbeddingFailedException(text, status, retryable);
        }
    }

    private Failure classify(OpenAIServiceException e) {
        int status = e.statusCode();
        Optional<Boolean> shouldRetry = firstHeader(e.headers(), "x-should-retry")
                .map(v -> v.trim().equalsIgnoreCase("true"));
        String code = e.code().orElse("");
        String name = model.modelName();
        return switch (status) {
            case 401 -> new Failure(false, status, "the OpenAI API rejected the key (401): check the tenant's "
                    + "OpenAI API key");
            case 403 -> new Failure(false, status, "the OpenAI API refused the key access to " + name
                    + " (403): check the key's project permissions and the region");
            case 404 -> new Failure(false, status, "the embeddings server at " + baseUrl + " does not know "
                    + name + " or its embeddings endpoint (404)");
            case 400, 413, 422 -> new Failure(false, status, "the OpenAI API rejected the request (" + status
                    + ")" + serverText(e).map(t -> ": " + t).orElse(""));
            case 429 -> {
                if ("insufficient_quota".equals(code)) {
                    yield new Failure(false, status, "the OpenAI account behind the key has no quota left "
                            + "(429 insufficient_quota): check its billing");
                }
                yield shouldRetry.orElse(true)
                        ? new Failure(true, status, "the OpenAI API kept rate-limiting the requests (429)")
                        : new Failure(false, status, "the OpenAI API rate-limited the request and asked not to "
                          + "retry it (429)" + serverText(e).map(t -> ": " + t).orElse(""));
            }
            default -> {
                boolean retryable = shouldRetry.orElse(status == 408 || status == 409 || status >= 500);
                yield new Failure(retryable, status, status >= 500
                        ? "the embeddings server at " + baseUrl + " failed (HTTP " + status + ")"
                        : "the OpenAI API refused the request (HTTP " + status + ")"
                          + serverText(e).map(t -> ": " + t).orElse(""));
            }
        };
    }

    /** The server's {@code error.message}, shortened and with anything key-like masked; never used for 401/403. */
    private Optional<String> serverText(OpenAIServiceException e) {
        try {
            // openai-java hands over the body's "error" object; a compatible server may answer without the wrapper
            JsonValue body = e.body();
            JsonValue message = objectField(body, "message");
            if (message == null) {
                JsonValue error = objectField(body, "error");
                message = error == null ? null : objectField(error, "message");
            }
            Optional<String> text = message == null ? Optional.empty() : message.asString();
            return text.map(this::scrub).filter(t -> !t.isBlank());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonValue objectField(JsonValue value, String name) {
        Optional<Map<String, JsonValue>> object = value.asObject();
        return object.map(fields -> fields.get(name)).orElse(null);
    }

    private String scrub(String text) {
        String clean = text.replace(apiKey, "***");
        clean = KEY_LIKE.matcher(clean).replaceAll("***");
        return clean.length() > MAX_SERVER_TEXT ? clean.substring(0, MAX_SERVER_TEXT) + "…" : clean;
    }

    /** {@code retry-after-ms}, else {@code Retry-After} (seconds or an HTTP date), capped at the policy's maximum. */
    private Optional<Duration> serverAskedWait(Headers headers) {
        Optional<Duration> asked = firstHeader(headers, "retry-after-ms").flatMap(v -> {
            try {
                return Optional.of(Duration.ofNanos((long) (Double.parseDouble(v.trim()) * 1_000_000)));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        });
        if (asked.isEmpty()) {
            asked = firstHeader(headers, "retry-after").flatMap(OpenAiEmbedder::parseRetryAfter);
        }
        return asked.filter(d -> !d.isNegative())
                .map(d -> d.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : d);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(ZonedDateTime.now(at.getZone()), at));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> firstHeader(Headers headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<String>> header : headers.asMap().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return Optional.of(header.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingFailedException("embedding was interrupted while waiting to retry", null, true, e);
        }
    }

    /** OkHttp's call or read time-out: an {@link java.io.InterruptedIOException} somewhere in the chain. */
    static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String rootCauseName(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    private static String stripTrailingSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + model.modelName() + " at " + baseUrl + "]";
    }
}
