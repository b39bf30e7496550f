package io.dynamicrag.processing.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local server that speaks the OpenAI embeddings wire format ({@code POST /v1/embeddings}) on 127.0.0.1 at an
 * ephemeral port, for tests. It answers deterministic unit vectors derived from a hash of (model, input), sized by the
 * model ({@link EmbeddingModels}, 1536 for names it does not know), as float arrays or, when the request asks for
 * {@code encoding_format: base64}, as little-endian float32 bytes in base64, like the real API. It reports
 * {@code usage} with jtokkit's cl100k_base count of the inputs.
 *
 * <p>It records every request (path, headers, parsed body) and can be scripted: {@link #failNext} answers the next
 * calls with an error status (and headers such as Retry-After), {@link #reportUsage}/{@link #omitUsage} change the
 * usage it reports, {@link #reverseOrder} sends {@code data} back to front, {@link #dimensionsOverride} answers
 * vectors of the wrong size.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    /** One request as received. Header names are lower case. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, JsonNode body, long nanoTime) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String model() {
            return body.path("model").asText(null);
        }

        public List<String> inputs() {
            JsonNode input = body.path("input");
            if (input.isTextual()) {
                return List.of(input.asText());
            }
            List<String> texts = new ArrayList<>();
            input.forEach(node -> texts.add(node.asText()));
            return texts;
        }

        /** {@code float}, {@code base64}, or null when the client sent none. */
        public String encodingFormat() {
            JsonNode format = body.get("encoding_format");
            return format == null || format.isNull() ? null : format.asText();
        }
    }

    private record Scripted(int status, Map<String, String> headers, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> script = new ArrayDeque<>();
    private volatile Long usageOverride;
    private volatile boolean omitUsage;
    private volatile boolean reverseOrder;
    private volatile Integer dimensionsOverride;
    private volatile long delayMillis;

    public FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** What to give the client as its base URL, e.g. {@code http://127.0.0.1:43123/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Forget what was recorded and scripted. */
    public synchronized void reset() {
        requests.clear();
        script.clear();
        usageOverride = null;
        omitUsage = false;
        reverseOrder = false;
        dimensionsOverride = null;
        delayMillis = 0;
    }

    /** Answer the next {@code times} calls with {@code status}, these headers and an OpenAI-style error body. */
    public synchronized FakeOpenAiServer failNext(int times, int status, Map<String, String> headers, String errorCode,
                                           String errorMessage) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", errorMessage);
        error.put("type", status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error");
        error.putNull("param");
        if (errorCode == null) {
            error.putNull("code");
        } else {
            error.put("code", errorCode);
        }
        for (int i = 0; i < times; i++) {
            script.add(new Scripted(status, headers, body.toString()));
        }
        return this;
    }

    public FakeOpenAiServer failNext(int times, int status) {
        return failNext(times, status, Map.of(), null, "scripted failure " + status);
    }

    /** Answer every later request only after {@code delay}, as a slow or distant server does. */
    public FakeOpenAiServer delayResponses(java.time.Duration delay) {
        delayMillis = delay.toMillis();
        return this;
    }

    /** Report this total in {@code usage} instead of the real count (per request). */
    void reportUsage(long totalTokens) {
        usageOverride = totalTokens;
    }

    /** Send no {@code usage} at all, as some OpenAI-compatible servers do. */
    void omitUsage() {
        omitUsage = true;
    }

    void reverseOrder() {
        reverseOrder = true;
    }

    void dimensionsOverride(int dimensions) {
        dimensionsOverride = dimensions;
    }

    /** The vector this server answers for {@code text} under {@code model}: unit length, from a hash of both. */
    static float[] vectorFor(String model, String text, int dimensions) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest((model + "\u0000" + text).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(digest).getLong());
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    static int dimensionsOf(String model) {
        return EmbeddingModels.find(model).map(EmbeddingModels::dimensions).orElse(1536);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            JsonNode body;
            try {
                body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            } catch (IOException notJson) {
                body = JSON.createObjectNode().put("unparsable", new String(raw, StandardCharsets.UTF_8));
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(exchange.getRequestMethod(), path, Collections.unmodifiableMap(headers), body,
                    System.nanoTime()));
            if (delayMillis > 0) {
                try {
                    // a slow upstream is the behaviour under test (time limits, timeouts): this sleep is the
                    // stand-in's answer time, not a test waiting for something
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }

            Scripted scripted;
            synchronized (this) {
                scripted = script.poll();
            }
            if (scripted != null) {
                scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, scripted.status(), scripted.body());
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/embeddings".equals(path)) {
                send(exchange, 404, "{\"error\":{\"message\":\"Unknown request URL: " + exchange.getRequestMethod()
                        + " " + path + "\",\"type\":\"invalid_request_error\",\"param\":null,"
                        + "\"code\":\"unknown_url\"}}");
                return;
            }
            send(exchange, 200, embeddings(body));
        }
    }

    private String embeddings(JsonNode request) {
        String model = request.path("model").asText();
        boolean base64 = "base64".equals(request.path("encoding_format").asText(null));
        JsonNode inputNode = request.path("input");
        List<String> inputs = new ArrayList<>();
        if (inputNode.isTextual()) {
            inputs.add(inputNode.asText());
        } else {
            inputNode.forEach(node -> inputs.add(node.asText()));
        }
        int dimensions = dimensionsOverride != null ? dimensionsOverride : dimensionsOf(model);

        ObjectNode response = JSON.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        List<ObjectNode> items = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vectorFor(model, inputs.get(i), dimensions);
            tokens += TokenCounter.cl100k().count(inputs.get(i));
            ObjectNode item = JSON.createObjectNode();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    bytes.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            items.add(item);
        }
        if (reverseOrder) {
            Collections.reverse(items);
        }
        items.forEach(data::add);
        response.put("model", model);
        if (!omitUsage) {
            long reported = usageOverride != null ? usageOverride : tokens;
            ObjectNode usage = response.putObject("usage");
            usage.put("prompt_tokens", reported);
            usage.put("total_tokens", reported);
        }
        return response.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
