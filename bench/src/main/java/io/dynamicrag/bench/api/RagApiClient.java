package io.dynamicrag.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** The public HTTP API as a tenant sees it: sign up, configure, ingest, list, search. */
public final class RagApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private String apiKey;

    public RagApiClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Signs up a fresh tenant and uses its API key from then on. */
    public void signUp(String purpose) throws IOException {
        ObjectNode body = object()
                .put("email", purpose + "-" + UUID.randomUUID() + "@example.com")
                .put("password", "benchmark-password");
        apiKey = call("POST", "/api/auth/signup", body).path("api_key").asText();
        if (apiKey.isEmpty()) {
            throw new IOException("signup returned no api_key");
        }
    }

    public JsonNode call(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + method + " " + path, e);
        }
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? object() : JSON.readTree(response.body());
    }
}
