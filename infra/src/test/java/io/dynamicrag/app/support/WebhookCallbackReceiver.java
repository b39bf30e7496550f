package io.dynamicrag.app.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server on 127.0.0.1 (the one address the tests allow outbound) that records every callback it
 * receives and answers with the given statuses in order, then 200.
 */
public final class WebhookCallbackReceiver implements AutoCloseable {

    /** Header names in lower case. */
    public record Received(Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final Deque<Integer> statuses;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();

    private WebhookCallbackReceiver(int... statuses) throws IOException {
        this.statuses = new ArrayDeque<>();
        for (int status : statuses) {
            this.statuses.add(status);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/callback", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            Received received = new Received(headers, body);
            all.add(received);
            queue.add(received);
            Integer status;
            synchronized (this.statuses) {
                status = this.statuses.poll();
            }
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookCallbackReceiver start(int... statuses) {
        try {
            return new WebhookCallbackReceiver(statuses);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** The next callback, waiting at most {@code timeout}; fails the test when none arrives. */
    public Received next(Duration timeout) {
        try {
            Received received = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                throw new AssertionError("no callback within " + timeout);
            }
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public List<Received> all() {
        return new ArrayList<>(all);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
