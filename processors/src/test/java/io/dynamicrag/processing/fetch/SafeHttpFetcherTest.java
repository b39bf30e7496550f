package io.dynamicrag.processing.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs only against a local server on 127.0.0.1. Every case that names another address (metadata service,
 * private networks) must be refused by the policy before a connection exists; the timeouts assert that nothing
 * waited on a network.
 */
class SafeHttpFetcherTest {

    private static final String PAGE = "<html><head><title>Local page</title></head><body><p>Hello</p></body></html>";
    private static final Duration NO_NETWORK_WAIT = Duration.ofSeconds(2);

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static int port;
    private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private static final Map<String, String> userAgents = new ConcurrentHashMap<>();

    private static SafeHttpFetcher defaultFetcher;
    private static SafeHttpFetcher allowingFetcher;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        handle("/page", exchange -> {
            userAgents.put("/page", String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
            respond(exchange, 200, "text/html; charset=UTF-8", PAGE.getBytes(StandardCharsets.UTF_8));
        });
        handle("/hop", exchange -> redirect(exchange, 302, "/page#section"));
        handle("/to-metadata", exchange -> redirect(exchange, 302, "http://169.254.169.254/latest/meta-data/"));
        handle("/to-private-name", exchange -> redirect(exchange, 301, "http://metadata.internal.test/latest/"));
        handle("/to-file", exchange -> redirect(exchange, 307, "file:///etc/passwd"));
        handle("/loop", exchange -> redirect(exchange, 302, "/loop"));
        handle("/missing", exchange -> respond(exchange, 404, "text/plain", "no such page".getBytes()));
        handle("/broken", exchange -> respond(exchange, 503, "text/plain", "down".getBytes()));
        handle("/big", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 0); // chunked, no length announced
            streamBytes(exchange, 11L * 1024 * 1024);
        });
        handle("/big-declared", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 11L * 1024 * 1024);
            streamBytes(exchange, 11L * 1024 * 1024);
        });
        handle("/slow", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 200; i++) { // one byte every 100 ms: never idle long enough for a read timeout
                    out.write('x');
                    out.flush();
                    // the trickle is the behaviour under test (a total time limit, not a read timeout)
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException expected) {
                // the client gave up
            }
        });
        server.start();
        port = server.getAddress().getPort();

        SafeHttpFetcher.Settings settings = new SafeHttpFetcher.Settings(Duration.ofSeconds(2),
                Duration.ofSeconds(10), SafeHttpFetcher.Settings.DEFAULT_MAX_BYTES, 5, null);
        defaultFetcher = new SafeHttpFetcher(OutboundAddressPolicy.defaults(), settings);
        allowingFetcher = new SafeHttpFetcher(new OutboundAddressPolicy(List.of("127.0.0.1/32"), host -> {
            if (host.equals("metadata.internal.test")) {
                return new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            }
            return InetAddress.getAllByName(host);
        }), settings);
    }

    @AfterAll
    static void stopServer() {
        defaultFetcher.close();
        allowingFetcher.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void defaultPolicyRefusesTheLocalServer() {
        assertThatThrownBy(() -> defaultFetcher.fetch(url("/page")))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: 127.0.0.1 is a loopback address");
        assertThat(hits("/page")).isZero();
    }

    @Test
    void allowListedServerIsFetched() {
        SafeHttpFetcher.Response response = allowingFetcher.fetch(url("/page"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.finalUrl()).hasToString(url("/page"));
        assertThat(response.contentType()).isEqualTo("text/html");
        assertThat(response.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(userAgents.get("/page")).contains("DynamicRAG");
    }

    @Test
    void followsRedirectsAndReportsTheFinalUrl() {
        SafeHttpFetcher.Response response = allowingFetcher.fetch(url("/hop"));

        assertThat(response.finalUrl()).hasToString(url("/page"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    @Test
    void redirectToTheMetadataServiceIsRefusedAtThatHop() {
        int before = hits("/to-metadata");

        assertTimeoutPreemptively(NO_NETWORK_WAIT, () ->
                assertThatThrownBy(() -> allowingFetcher.fetch(url("/to-metadata")))
                        .isInstanceOf(FetchRefusedException.class)
                        .hasMessage("refused: 169.254.169.254 is a link-local address"));
        assertThat(hits("/to-metadata")).isEqualTo(before + 1); // the first hop was served, the second refused
    }

    @Test
    void redirectToANameResolvingToLinkLocalIsRefusedByTheResolver() {
        assertTimeoutPreemptively(NO_NETWORK_WAIT, () ->
                assertThatThrownBy(() -> allowingFetcher.fetch(url("/to-private-name")))
                        .isInstanceOf(FetchRefusedException.class)
                        .hasMessage("refused: metadata.internal.test resolves to 169.254.169.254, "
                                + "which is a link-local address"));
    }

    @Test
    void connectsToTheAddressTheResolverCheckedAndLooksUpOnce() {
        AtomicInteger lookups = new AtomicInteger();
        // "app.test" exists in no DNS: the request can only reach the server through the checked address
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of("127.0.0.1/32"), host -> {
            lookups.incrementAndGet();
            if (!host.equals("app.test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });
        try (SafeHttpFetcher fetcher = new SafeHttpFetcher(policy, SafeHttpFetcher.Settings.defaults())) {
            SafeHttpFetcher.Response response = fetcher.fetch("http://app.test:" + port + "/page");

            assertThat(response.status()).isEqualTo(200);
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void redirectToAnotherSchemeIsRefused() {
        assertThatThrownBy(() -> allowingFetcher.fetch(url("/to-file")))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: only http and https URLs can be fetched, not file:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/pub/file", "gopher://127.0.0.1:70/_stats",
            "jar:file:/tmp/a.jar!/x", "javascript:alert(1)"})
    void refusesNonHttpSchemes(String url) {
        assertThatThrownBy(() -> allowingFetcher.fetch(url))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessageStartingWith("refused: only http and https URLs can be fetched, not ");
    }

    @Test
    void refusesUrlsWithoutSchemeOrHost() {
        assertThatThrownBy(() -> allowingFetcher.fetch("//127.0.0.1/page"))
                .hasMessage("refused: the URL must start with http:// or https://");
        assertThatThrownBy(() -> allowingFetcher.fetch("http:///page"))
                .isInstanceOf(FetchRefusedException.class).hasMessageContaining("has no valid host name");
        assertThatThrownBy(() -> allowingFetcher.fetch("http://127.1:" + port + "/page"))
                .isInstanceOf(FetchRefusedException.class).hasMessageContaining("has no valid host name");
        assertThatThrownBy(() -> allowingFetcher.fetch("http://exa mple.com/"))
                .isInstanceOf(FetchRefusedException.class).hasMessageContaining("is not a valid URL");
        assertThatThrownBy(() -> allowingFetcher.fetch(" "))
                .isInstanceOf(FetchRefusedException.class).hasMessage("refused: the URL is empty");
    }

    @Test
    void refusesCredentialsInTheUrlEvenForAnAllowedHost() {
        assertThatThrownBy(() -> allowingFetcher.fetch("http://user:pass@127.0.0.1:" + port + "/page"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: URLs with credentials (user:password@host) are not allowed");
        assertThatThrownBy(() -> defaultFetcher.fetch("http://user:pass@host.example/"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: URLs with credentials (user:password@host) are not allowed");
    }

    @Test
    void refusesAHostNameThatResolvesToLoopback() {
        assertThatThrownBy(() -> defaultFetcher.fetch("http://localhost:" + port + "/page"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessageStartingWith("refused: localhost resolves to ")
                .hasMessageEndingWith("which is a loopback address");
    }

    @Test
    void refusesLoopbackInIpv6Forms() {
        assertThatThrownBy(() -> defaultFetcher.fetch("http://[::ffff:127.0.0.1]:" + port + "/page"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: ::ffff:127.0.0.1 is a loopback address");
        assertThatThrownBy(() -> defaultFetcher.fetch("http://[::1]:" + port + "/page"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: ::1 is a loopback address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "https://192.168.1.1/",
            "http://172.16.5.4:8080/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fe80::1]/",
            "http://[fd00::1]/", "http://224.0.0.1/", "http://[::ffff:a9fe:a9fe]/"})
    void refusesPrivateAndSpecialAddressesBeforeConnecting(String url) {
        assertTimeoutPreemptively(NO_NETWORK_WAIT, () ->
                assertThatThrownBy(() -> allowingFetcher.fetch(url))
                        .isInstanceOf(FetchRefusedException.class)
                        .hasMessageStartingWith("refused: "));
    }

    @Test
    void abortsABodyBeyondTheSizeLimit() {
        assertThatThrownBy(() -> allowingFetcher.fetch(url("/big")))
                .isInstanceOf(FetchFailedException.class)
                .hasMessage("the response is larger than the 10 MB limit; the download was stopped");
        assertThatThrownBy(() -> allowingFetcher.fetch(url("/big-declared")))
                .isInstanceOf(FetchFailedException.class)
                .hasMessageContaining("10 MB limit");
    }

    @Test
    void abortsASlowServerAtTheTotalTimeout() {
        SafeHttpFetcher.Settings quick = new SafeHttpFetcher.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1),
                SafeHttpFetcher.Settings.DEFAULT_MAX_BYTES, 5, null);
        try (SafeHttpFetcher fetcher = new SafeHttpFetcher(new OutboundAddressPolicy(List.of("127.0.0.1/32")),
                quick)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fetcher.fetch(url("/slow")))
                    .isInstanceOf(FetchFailedException.class)
                    .hasMessage("the fetch took longer than the 1 s limit and was stopped");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void failsOnErrorStatusesWithTheStatus() {
        assertThatThrownBy(() -> allowingFetcher.fetch(url("/missing")))
                .isInstanceOfSatisfying(FetchFailedException.class,
                        e -> assertThat(e.httpStatus()).hasValue(404))
                .hasMessage("the server answered HTTP 404 (Not Found) for " + url("/missing"));
        assertThatThrownBy(() -> allowingFetcher.fetch(url("/broken")))
                .isInstanceOfSatisfying(FetchFailedException.class,
                        e -> assertThat(e.httpStatus()).hasValue(503))
                .hasMessageContaining("503");
    }

    @Test
    void stopsARedirectLoop() {
        int before = hits("/loop");

        assertThatThrownBy(() -> allowingFetcher.fetch(url("/loop")))
                .isInstanceOf(FetchFailedException.class)
                .hasMessageStartingWith("too many redirects: more than 5");
        assertThat(hits("/loop") - before).isEqualTo(6);
    }

    @Test
    void reportsAConnectionFailureReadably() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> allowingFetcher.fetch("http://127.0.0.1:" + closedPort + "/"))
                .isInstanceOf(FetchFailedException.class)
                .hasMessage("could not connect to 127.0.0.1:" + closedPort + " (connection refused)");
    }

    // ---- local server helpers --------------------------------------------------------------------------------

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static int hits(String path) {
        return hits.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private static void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            try {
                if (exchange.getRequestURI().getPath().equals(path)) {
                    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    handler.handle(exchange);
                } else {
                    respond(exchange, 404, "text/plain", new byte[0]);
                }
            } finally {
                exchange.close();
            }
        });
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void streamBytes(HttpExchange exchange, long count) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < count; sent += block.length) {
                out.write(block, 0, (int) Math.min(block.length, count - sent));
            }
        } catch (IOException expected) {
            // the client stopped reading at its limit
        }
    }
}
