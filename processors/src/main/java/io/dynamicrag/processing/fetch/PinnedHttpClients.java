package io.dynamicrag.processing.fetch;

import org.apache.http.Header;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.DefaultRoutePlanner;
import org.apache.http.impl.conn.DefaultSchemePortResolver;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one way outbound HTTP clients are built (scraping, webhook callbacks): the address policy is the connection
 * manager's only resolver, so every connection goes to an address the policy checked (no DNS rebinding between
 * check and connect); no redirects, retries, cookies or cached credentials; no proxy.
 */
final class PinnedHttpClients {

    private PinnedHttpClients() {
    }

    static CloseableHttpClient create(OutboundAddressPolicy policy, Duration socketTimeout, int maxConnections,
                                      String userAgent, List<Header> defaultHeaders) {
        Registry<ConnectionSocketFactory> schemes = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", SSLConnectionSocketFactory.getSocketFactory())
                .build();
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(
                schemes, null, null, policy::resolveAllowed, 60, TimeUnit.SECONDS);
        connections.setMaxTotal(maxConnections);
        connections.setDefaultMaxPerRoute(4);
        connections.setDefaultSocketConfig(SocketConfig.custom()
                .setSoTimeout(millis(socketTimeout))
                .setTcpNoDelay(true)
                .build());
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(userAgent)
                .setDefaultHeaders(defaultHeaders)
                .evictIdleConnections(30, TimeUnit.SECONDS)
                .build();
    }

    static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
