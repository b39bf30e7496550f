package io.dynamicrag.processing.fetch;

import org.apache.http.HttpEntity;
import org.apache.http.client.config.CookieSpecs;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.HttpHostConnectException;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSTs a small body to a URL a tenant registered (webhook completion callbacks) under the same outbound rules as
 * {@link SafeHttpFetcher}: http(s) only, no credentials in the URL, no proxy, and connections only to addresses
 * {@link OutboundAddressPolicy#resolveAllowed} vetted (it is the connection manager's DNS resolver, so DNS
 * rebinding between check and connect cannot take effect; IP-literal hosts are checked before the call).
 *
 * <p>Redirects are not followed (a callback receiver answers itself; following a POST elsewhere is how requests get
 * smuggled), cookies and authentication are off, no automatic retries (the caller decides). A connect timeout and a
 * total timeout (a watchdog aborts the request in flight) bound each call; at most 64 KB of the answer is read.
 *
 * <p>Thread-safe; one instance serves the process. Close it to release its pool.
 */
public final class SafeHttpPoster implements AutoCloseable {

    private static final int MAX_URL_LENGTH = 4096;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /** Limits of one POST. */
    public record Settings(Duration connectTimeout, Duration totalTimeout, String userAgent) {

        public static final String DEFAULT_USER_AGENT = "DynamicRAG-Callbacks/0.1 (dynamic-rag webhook callbacks)";

        public Settings {
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                    || totalTimeout == null || totalTimeout.isNegative() || totalTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (userAgent == null || userAgent.isBlank()) {
                userAgent = DEFAULT_USER_AGENT;
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), DEFAULT_USER_AGENT);
        }
    }

    private final OutboundAddressPolicy policy;
    private final Settings settings;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService watchdog;

    public SafeHttpPoster(OutboundAddressPolicy policy, Settings settings) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = PinnedHttpClients.create(policy, settings.totalTimeout(), 16, settings.userAgent(),
                java.util.List.of());
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "safe-http-poster-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.watchdog = executor;
    }

    /**
     * POSTs {@code body} as {@code application/json} with {@code headers}; returns the status the server answered
     * (any status, redirects included: the caller judges it).
     *
     * @throws FetchRefusedException when a rule forbids the URL or an address it resolves to (no connection is
     *                               made)
     * @throws FetchFailedException  on network errors and timeouts
     */
    public int postJson(String url, Map<String, String> headers, byte[] body) {
        URI uri = validate(url);
        HttpPost request = new HttpPost(uri);
        request.setConfig(RequestConfig.custom()
                .setConnectTimeout(millis(settings.connectTimeout()))
                .setConnectionRequestTimeout(millis(settings.connectTimeout()))
                .setSocketTimeout(millis(settings.totalTimeout()))
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setCookieSpec(CookieSpecs.IGNORE_COOKIES)
                .build());
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> abort = watchdog.schedule(() -> {
            timedOut.set(true);
            request.abort();
        }, settings.totalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try (CloseableHttpResponse response = client.execute(request)) {
            drain(response.getEntity());
            return response.getStatusLine().getStatusCode();
        } catch (IOException e) {
            throw timedOut.get()
                    ? new FetchFailedException("no answer from " + uri.getHost() + " within "
                    + settings.totalTimeout().toMillis() + " ms")
                    : failure(e, uri);
        } finally {
            abort.cancel(false);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private URI validate(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new FetchRefusedException("refused: the URL is empty or too long");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new FetchRefusedException("refused: the URL is not valid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchRefusedException("refused: only http and https URLs can be called");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchRefusedException("refused: URLs with credentials (user:password@host) are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchRefusedException("refused: the URL has no valid host name");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new FetchRefusedException("refused: " + uri.getPort() + " is not a valid port");
        }
        OutboundAddressPolicy.literalAddress(host).ifPresent(address -> policy.requireAllowed(host, address));
        return uri;
    }

    /** Reads (and drops) at most 64 KB of the answer so the connection can be reused; the rest is cut off. */
    private static void drain(HttpEntity entity) throws IOException {
        if (entity == null) {
            return;
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while (total < MAX_RESPONSE_BYTES && (n = in.read(buffer)) != -1) {
                total += n;
            }
        }
    }

    private static FetchFailedException failure(IOException e, URI uri) {
        String host = uri.getHost();
        if (e instanceof ConnectTimeoutException) {
            return new FetchFailedException("could not connect to " + host + " in time");
        }
        if (e instanceof HttpHostConnectException) {
            return new FetchFailedException("could not connect to " + host + " (connection refused)");
        }
        if (e instanceof UnknownHostException) {
            return new FetchFailedException("the host name " + host + " could not be resolved");
        }
        if (e instanceof SocketTimeoutException) {
            return new FetchFailedException(host + " stopped answering");
        }
        return new FetchFailedException("the connection to " + host + " failed");
    }

    private static int millis(Duration duration) {
        return PinnedHttpClients.millis(duration);
    }
}
