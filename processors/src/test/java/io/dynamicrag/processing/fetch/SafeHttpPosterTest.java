package io.dynamicrag.processing.fetch;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Only a local server on 127.0.0.1 is ever contacted; every other address must be refused before connecting. */
class SafeHttpPosterTest {

    private static final Duration NO_NETWORK_WAIT = Duration.ofSeconds(2);
    private static HttpServer server;
    private static final Map<String, String> received = new ConcurrentHashMap<>();
    private static final AtomicInteger redirectTargetHits = new AtomicInteger();

    private static final SafeHttpPoster allowing = new SafeHttpPoster(
            new OutboundAddressPolicy(List.of("127.0.0.1/32")),
            new SafeHttpPoster.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), null));
    private static final SafeHttpPoster defaults = new SafeHttpPoster(OutboundAddressPolicy.defaults(),
            SafeHttpPoster.Settings.defaults());

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // /slow must not block the rest
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.put("body", new String(in.readAllBytes()));
            }
            received.put("signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-RAG-Signature")));
            received.put("type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/target");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/target", exchange -> {
            redirectTargetHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                // a receiver that answers too late is what the timeout test needs: the sleep is the server's delay
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        allowing.close();
        defaults.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void postsTheBodyAndHeadersToAnAllowedAddress() {
        int status = allowing.postJson(url("/hook"), Map.of("X-RAG-Signature", "sha256=abc"),
                "{\"status\":\"completed\"}".getBytes());
        assertThat(status).isEqualTo(204);
        assertThat(received).containsEntry("body", "{\"status\":\"completed\"}")
                .containsEntry("signature", "sha256=abc");
        assertThat(received.get("type")).startsWith("application/json");
    }

    @Test
    void doesNotFollowRedirects() {
        assertThat(allowing.postJson(url("/moved"), Map.of(), new byte[0])).isEqualTo(307);
        assertThat(redirectTargetHits).hasValue(0);
    }

    @Test
    void stopsAtTheTotalTimeout() {
        assertTimeoutPreemptively(Duration.ofSeconds(4), () ->
                assertThatThrownBy(() -> allowing.postJson(url("/slow"), Map.of(), new byte[0]))
                        .isInstanceOf(FetchFailedException.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:1/hook", "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.1/hook", "http://[::1]/hook", "http://localhost/hook", "ftp://example.com/x",
            "http://user:pass@example.com/hook"})
    void refusesWhatURLIngestionRefusesWithoutConnecting(String target) {
        assertTimeoutPreemptively(NO_NETWORK_WAIT, () ->
                assertThatThrownBy(() -> defaults.postJson(target, Map.of(), new byte[0]))
                        .isInstanceOf(FetchRefusedException.class)
                        .hasMessageStartingWith("refused:"));
    }

    @Test
    void theRegistrationCheckGivesTheSameAnswers() {
        OutboundUrlPolicyAdapter check = new OutboundUrlPolicyAdapter(OutboundAddressPolicy.defaults());
        assertThat(check.refusal("http://10.1.2.3/hook")).get().asString().contains("private");
        assertThat(check.refusal("http://169.254.169.254/")).get().asString().contains("link-local");
        assertThat(check.refusal("ftp://example.com/")).get().asString().contains("http");
        assertThat(new OutboundUrlPolicyAdapter(new OutboundAddressPolicy(List.of("127.0.0.1/32")))
                .refusal(url("/hook"))).isEmpty();
    }
}
