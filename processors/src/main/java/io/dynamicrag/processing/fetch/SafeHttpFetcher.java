package io.dynamicrag.processing.fetch;

import org.apache.http.ConnectionClosedException;
import org.apache.http.Header;
import org.apache.http.HeaderElement;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHeaders;
import org.apache.http.MalformedChunkCodingException;
import org.apache.http.NameValuePair;
import org.apache.http.NoHttpResponseException;
import org.apache.http.TruncatedChunkException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.CookieSpecs;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.HttpHostConnectException;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.message.BasicHeader;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches http(s) URLs on behalf of users without letting them reach what they must not: the host itself, the
 * cloud metadata service, private networks (see {@link OutboundAddressPolicy}).
 *
 * <h2>HTTP client: Apache HttpClient 4.5, pinned through its {@code DnsResolver}</h2>
 * It is already on the classpath (AWS SDK's {@code apache-client}), it is blocking (the caller runs it on a
 * bounded scheduler, like the other pipeline workers) and it has the one hook pinning needs: the connection
 * operator asks the connection manager's {@code DnsResolver} for a host's addresses and then connects to exactly
 * the {@code InetAddress} objects returned, with no second lookup (TLS still uses the host name for SNI and
 * certificate checks). Our resolver is {@link OutboundAddressPolicy#resolveAllowed}: it resolves once and returns
 * the addresses only if every one is allowed, otherwise it throws before any socket exists. The addresses that
 * were checked are therefore the addresses connected to; a DNS answer that changes between check and connect
 * (rebinding) cannot take effect. IP-literal hosts are additionally checked here before the client is called.
 * Reactor Netty was the alternative (custom {@code AddressResolverGroup}), but it is not on this module's
 * classpath and a non-blocking client buys nothing for one fetch per ingest request.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>only {@code http} and {@code https}; no credentials ({@code user:pass@}) in the URL; no proxy (the system
 *       proxy settings are ignored, so the policy sees the real destination);</li>
 *   <li>redirects (301, 302, 303, 307, 308) are followed here, at most {@code maxRedirects}, and every hop goes
 *       through the same scheme, credential and address checks;</li>
 *   <li>connect timeout per connection, a total timeout for the whole fetch including redirects and the body
 *       (a watchdog aborts the request in flight), and a body limit enforced while streaming: reading stops and
 *       the connection is dropped as soon as the limit is passed, never buffering more than the limit;</li>
 *   <li>only 2xx bodies are returned; other statuses fail with the status;</li>
 *   <li>no cookies, no authentication, no automatic retries; a User-Agent naming the service.</li>
 * </ul>
 * DNS lookups themselves use the JDK resolver and its (OS) timeouts; they are not interruptible by the watchdog.
 *
 * <p>Thread-safe; one instance serves the whole process. Close it to release its connection pool.
 */
public final class SafeHttpFetcher implements AutoCloseable {

    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_URL_LENGTH = 4096;
    private static final int READ_BUFFER = 16 * 1024;

    /** Limits of one fetch. */
    public record Settings(Duration connectTimeout, Duration totalTimeout, long maxBytes, int maxRedirects,
                           String userAgent) {

        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(15);
        public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
        public static final int DEFAULT_MAX_REDIRECTS = 5;
        public static final String DEFAULT_USER_AGENT = "DynamicRAG-Fetcher/0.1 (dynamic-rag URL ingestion)";

        public Settings {
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(totalTimeout, "totalTimeout");
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
            if (maxRedirects < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative");
            }
            if (userAgent == null || userAgent.isBlank()) {
                userAgent = DEFAULT_USER_AGENT;
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, DEFAULT_MAX_BYTES,
                    DEFAULT_MAX_REDIRECTS, DEFAULT_USER_AGENT);
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    /**
     * A fetched 2xx response.
     *
     * @param finalUrl    the URL after redirects
     * @param contentType the media type in lower case ({@code text/html}), null when the server sent none
     * @param charset     the charset named by the Content-Type header, null when none (or unknown to the JVM)
     */
    public record Response(int status, URI finalUrl, String contentType, Charset charset, byte[] body) {
    }

    private final OutboundAddressPolicy policy;
    private final Settings settings;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService watchdog;

    public SafeHttpFetcher(OutboundAddressPolicy policy, Settings settings) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = PinnedHttpClients.create(policy, settings.totalTimeout(), 32, settings.userAgent(),
                List.of(new BasicHeader(HttpHeaders.ACCEPT,
                        "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8")));
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "safe-http-fetcher-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.watchdog = executor;
    }

    public OutboundAddressPolicy policy() {
        return policy;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Fetches {@code url} (GET), following redirects.
     *
     * @throws FetchRefusedException when a rule forbids the URL or any redirect hop (no connection is made)
     * @throws FetchFailedException  on network errors, timeouts, the size limit, too many redirects, non-2xx
     */
    public Response fetch(String url) {
        return fetch(parse(url));
    }

    public Response fetch(URI url) {
        URI current = withoutFragment(url);
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicReference<HttpGet> inFlight = new AtomicReference<>();
        ScheduledFuture<?> abortAtDeadline = watchdog.schedule(() -> {
            timedOut.set(true);
            HttpGet request = inFlight.get();
            if (request != null) {
                request.abort();
            }
        }, settings.totalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            for (int redirects = 0; ; redirects++) {
                validate(current);
                HttpGet request = new HttpGet(current);
                request.setConfig(requestConfig(deadline));
                inFlight.set(request); // set before checking the flag: the watchdog aborts whatever is in flight
                if (timedOut.get()) {
                    throw timeout();
                }
                try (CloseableHttpResponse response = client.execute(request)) {
                    int status = response.getStatusLine().getStatusCode();
                    if (REDIRECT_STATUSES.contains(status)) {
                        if (redirects >= settings.maxRedirects()) {
                            throw new FetchFailedException("too many redirects: more than "
                                    + settings.maxRedirects() + " (last one from " + current + ")");
                        }
                        current = redirectTarget(current, response.getFirstHeader(HttpHeaders.LOCATION), status);
                        continue; // closing the response drops the connection without reading its body
                    }
                    if (status < 200 || status > 299) {
                        String reason = response.getStatusLine().getReasonPhrase();
                        throw new FetchFailedException("the server answered HTTP " + status
                                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")
                                + " for " + current, status);
                    }
                    HttpEntity entity = response.getEntity();
                    byte[] body = entity == null ? new byte[0] : readLimited(entity, request);
                    String contentType = null;
                    Charset charset = null;
                    if (entity != null && entity.getContentType() != null) {
                        HeaderElement[] elements = parseContentType(entity.getContentType());
                        if (elements.length > 0) {
                            contentType = elements[0].getName().trim().toLowerCase(Locale.ROOT);
                            charset = charsetOf(elements[0]);
                        }
                    }
                    return new Response(status, current, contentType, charset, body);
                }
            }
        } catch (IOException e) {
            throw timedOut.get() ? timeout() : failure(e, current);
        } finally {
            abortAtDeadline.cancel(false);
            inFlight.set(null);
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

    // ---- URL rules -------------------------------------------------------------------------------------------

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new FetchRefusedException("refused: the URL is empty");
        }
        String trimmed = url.trim();
        if (trimmed.length() > MAX_URL_LENGTH) {
            throw new FetchRefusedException("refused: the URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new FetchRefusedException("refused: '" + abbreviate(trimmed) + "' is not a valid URL");
        }
    }

    /** Scheme, credentials, host and port of one hop; IP literals are checked against the policy right here. */
    private void validate(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new FetchRefusedException("refused: the URL must start with http:// or https://");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new FetchRefusedException("refused: only http and https URLs can be fetched, not " + lower + ":");
        }
        if (uri.getRawUserInfo() != null) {
            throw new FetchRefusedException("refused: URLs with credentials (user:password@host) are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchRefusedException("refused: '" + abbreviate(uri.toString()) + "' has no valid host name");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw new FetchRefusedException("refused: " + port + " is not a valid port");
        }
        OutboundAddressPolicy.literalAddress(host).ifPresent(address -> policy.requireAllowed(host, address));
    }

    private static URI redirectTarget(URI from, Header location, int status) {
        if (location == null || location.getValue() == null || location.getValue().isBlank()) {
            throw new FetchFailedException("the server answered HTTP " + status + " without a Location to follow",
                    status);
        }
        String target = location.getValue().trim();
        try {
            return withoutFragment(from.resolve(new URI(target)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchFailedException("the server redirected to an invalid URL: '" + abbreviate(target) + "'",
                    status);
        }
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }

    // ---- transfer --------------------------------------------------------------------------------------------

    private RequestConfig requestConfig(long deadline) {
        long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        int connect = (int) Math.min(millis(settings.connectTimeout()), remaining);
        return RequestConfig.custom()
                .setConnectTimeout(connect)
                .setConnectionRequestTimeout(connect)
                .setSocketTimeout((int) Math.min(Integer.MAX_VALUE, remaining))
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setCookieSpec(CookieSpecs.IGNORE_COOKIES)
                .build();
    }

    /** Reads the body, dropping the connection as soon as it passes the limit; never holds more than the limit. */
    private byte[] readLimited(HttpEntity entity, HttpGet request) throws IOException {
        long max = settings.maxBytes();
        long declared = entity.getContentLength();
        if (declared > max) {
            request.abort();
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, declared > 0 ? declared : 64 * 1024));
        byte[] buffer = new byte[READ_BUFFER];
        long total = 0;
        try (InputStream in = entity.getContent()) {
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, max - total + 1))) != -1) {
                total += n;
                if (total > max) {
                    request.abort(); // before the stream is closed: do not drain the rest
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static HeaderElement[] parseContentType(Header header) {
        try {
            return header.getElements();
        } catch (RuntimeException e) {
            return new HeaderElement[0];
        }
    }

    private static Charset charsetOf(HeaderElement element) {
        NameValuePair parameter = element.getParameterByName("charset");
        if (parameter == null || parameter.getValue() == null || parameter.getValue().isBlank()) {
            return null;
        }
        try {
            return Charset.forName(parameter.getValue().trim().replace("\"", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- user-readable failures ------------------------------------------------------------------------------

    private FetchFailedException tooLarge() {
        return new FetchFailedException("the response is larger than the " + bytes(settings.maxBytes())
                + " limit; the download was stopped");
    }

    private FetchFailedException timeout() {
        return new FetchFailedException("the fetch took longer than the " + duration(settings.totalTimeout())
                + " limit and was stopped");
    }

    private FetchFailedException failure(IOException e, URI uri) {
        String host = uri.getHost();
        if (e instanceof ConnectTimeoutException) {
            return new FetchFailedException("could not connect to " + host + " within "
                    + duration(settings.connectTimeout()));
        }
        if (e instanceof HttpHostConnectException) {
            return new FetchFailedException("could not connect to " + host
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (connection refused)");
        }
        if (e instanceof UnknownHostException) {
            return new FetchFailedException("the host name " + host + " could not be resolved");
        }
        if (e instanceof SocketTimeoutException) {
            return new FetchFailedException(host + " stopped sending data");
        }
        if (e instanceof SSLException) {
            return new FetchFailedException("the secure (TLS) connection to " + host + " failed");
        }
        if (e instanceof NoHttpResponseException) {
            return new FetchFailedException(host + " closed the connection without answering");
        }
        if (e instanceof ConnectionClosedException || e instanceof TruncatedChunkException
                || e instanceof MalformedChunkCodingException) {
            return new FetchFailedException(host + " closed the connection before the response was complete");
        }
        if (e instanceof ClientProtocolException) {
            return new FetchFailedException(host + " sent an invalid HTTP response");
        }
        if (e instanceof InterruptedIOException) {
            return new FetchFailedException("the fetch from " + host + " was interrupted");
        }
        return new FetchFailedException("the connection to " + host + " failed");
    }

    private static String bytes(long count) {
        long mb = 1024L * 1024;
        if (count % mb == 0) {
            return count / mb + " MB";
        }
        if (count % 1024 == 0) {
            return count / 1024 + " KB";
        }
        return count + " bytes";
    }

    private static String duration(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static int millis(Duration duration) {
        return PinnedHttpClients.millis(duration);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
