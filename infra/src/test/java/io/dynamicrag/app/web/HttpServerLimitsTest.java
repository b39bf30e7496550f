package io.dynamicrag.app.web;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request-head deadline on a real Reactor Netty server over real sockets (the slowloris of
 * {@code scripts/drill.sh fuzz}: before it, a connection dribbling its headers or sending nothing was never closed).
 */
class HttpServerLimitsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);

    private DisposableServer server;

    @BeforeEach
    void start() {
        server = HttpServerLimits.withRequestHeadDeadline(HttpServer.create()
                        .host("127.0.0.1")
                        .port(0)
                        .route(routes -> routes
                                .get("/fast", (request, response) -> response.sendString(Mono.just("ok")))
                                // slower than the deadline: a request being answered is not cut off
                                .get("/slow", (request, response) -> response.sendString(
                                        Mono.delay(DEADLINE.multipliedBy(2)).thenReturn("late")))),
                        DEADLINE)
                .bindNow();
    }

    @AfterEach
    void stop() {
        server.disposeNow();
    }

    @Test
    void aConnectionDribblingItsHeadersIsClosedAtTheDeadline() throws IOException {
        try (Socket socket = connect()) {
            long opened = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            Awaitility.await("the server closes the dribbling connection").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !sendsAndStaysOpen(socket, (byte) 'a'));
            Duration open = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(open).isGreaterThanOrEqualTo(DEADLINE.minusMillis(100)).isLessThan(DEADLINE.multipliedBy(4));
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheDeadline() throws IOException {
        try (Socket socket = connect()) {
            Awaitility.await("the server closes the silent connection").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> closedByServer(socket));
        }
    }

    @Test
    void keepAliveRequestsAndAnswersSlowerThanTheDeadlineAreServed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(exchange(socket, "/slow")).startsWith("HTTP/1.1 200").endsWith("late");
            // the same connection, a new request head within the deadline of the last answer
            assertThat(exchange(socket, "/fast")).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(50);
        return socket;
    }

    /** Sends one byte; false once the server has closed the connection. */
    private static boolean sendsAndStaysOpen(Socket socket, byte b) {
        try {
            socket.getOutputStream().write(b);
            socket.getOutputStream().flush();
            return !closedByServer(socket);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** One request on the connection; the answer's head and body as text (Content-Length framed). */
    private static String exchange(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        int contentLength = -1;
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new IOException("closed before the answer ended: " + answer);
            }
            answer.append((char) c);
            if (contentLength < 0 && answer.toString().endsWith("\r\n\r\n")) {
                String head = answer.toString().toLowerCase();
                int at = head.indexOf("content-length:");
                contentLength = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at)).trim());
                answer.append(new String(in.readNBytes(contentLength), StandardCharsets.US_ASCII));
                return answer.toString();
            }
        }
    }
}
