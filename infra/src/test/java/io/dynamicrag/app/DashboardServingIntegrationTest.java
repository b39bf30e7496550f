package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's pages are served by the app; its client routes fall back to index.html, the API is untouched. */
class DashboardServingIntegrationTest extends IntegrationTest {

    /** Every client route of ui/src/App.tsx, with ids where the route has one. */
    private static final List<String> ROUTES = List.of("/", "/login", "/signup", "/documents",
            "/documents/" + UUID.randomUUID(), "/search", "/webhooks", "/settings", "/metrics", "/metrics/tokens",
            "/metrics/costs", "/audit", "/integrations/mcp", "/admin", "/admin/customers/" + UUID.randomUUID());

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Test
    void everyClientRouteAnswersTheDashboardPageWithoutCredentials() {
        for (String path : ROUTES) {
            String body = page(path)
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().valueMatches("Cache-Control", ".*no-cache.*")
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(path).contains("<div id=\"root\"></div>").contains("/assets/");
        }
        // what a browser sends when it navigates
        http.get().uri("/documents/" + UUID.randomUUID())
                .header(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void thePageCarriesItsSecurityHeaders() {
        for (String path : List.of("/", "/documents", "/admin/customers/" + UUID.randomUUID())) {
            page(path).expectStatus().isOk()
                    .expectHeader().valueEquals("Content-Security-Policy", CSP)
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("Referrer-Policy", "same-origin");
        }
    }

    @Test
    void theBuiltScriptIsServedCachedForeverAndAMissingAssetIsNotThePage() {
        String script = scriptPath();
        http.get().uri(script).exchange().expectStatus().isOk()
                .expectHeader().valueMatches("Content-Type", ".*javascript.*")
                .expectHeader().value("Cache-Control", cache -> assertThat(cache.split(",\\s*"))
                        .containsExactlyInAnyOrder("public", "max-age=31536000", "immutable"));
        http.get().uri("/assets/no-such-file.js").exchange().expectStatus().isNotFound();
        http.get().uri("/favicon.svg").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.valueOf("image/svg+xml"));
    }

    @Test
    void aClientThatAcceptsGzipGetsTheAssetsCompressed() throws Exception {
        // a plain JDK client: WebTestClient's Reactor Netty client drops Accept-Encoding unless it decompresses
        HttpClient client = HttpClient.newHttpClient();
        String script = scriptPath();
        HttpResponse<byte[]> plain = get(client, script, null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        HttpResponse<byte[]> gzipped = get(client, script, "gzip");
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        String stylesheet = page("/").expectBody(String.class).returnResult().getResponseBody()
                .replaceAll("(?s).*href=\"(/assets/[^\"]+\\.css)\".*", "$1");
        assertThat(stylesheet).startsWith("/assets/");
        HttpResponse<byte[]> css = get(client, stylesheet, "gzip");
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        assertThat(css.headers().firstValue("Content-Encoding")).contains("gzip");
    }

    @Test
    void postSearchIsStillTheApiAndAGetWithoutHtmlKeepsItsApiAnswer() {
        http.post().uri("/search").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "anything")).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // a browser's form post would say text/html: still the API
        http.post().uri("/search").accept(MediaType.TEXT_HTML).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "anything")).exchange()
                .expectStatus().isUnauthorized();
        for (MediaType accept : List.of(MediaType.APPLICATION_JSON, MediaType.ALL)) {
            http.get().uri("/search").accept(accept).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }

        Tenant tenant = signUp();
        String id = ingest(tenant, Map.of("title", "Lighthouses", "doc_type", "txt",
                "content", "The lighthouse on the northern cape was lit for the first time in 1858."))
                .get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
        JsonNode results = http.post().uri("/search").header("X-API-Key", tenant.apiKey())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "When was the cape's light first lit?", "top_k", 3)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(results.get("results").get(0).get("document_id").asText()).isEqualTo(id);
        // with a credential, a GET to /search from an API client is not the page either
        EntityExchangeResult<byte[]> get = http.get().uri("/search").header("X-API-Key", tenant.apiKey())
                .accept(MediaType.APPLICATION_JSON).exchange()
                .expectBody().returnResult();
        assertThat(get.getResponseHeaders().getContentType()).isNotEqualTo(MediaType.TEXT_HTML);
        assertThat(get.getStatus().is2xxSuccessful()).isFalse();
    }

    @Test
    void apiPathsStillNeedCredentialsWhenABrowserAsksForHtml() {
        http.get().uri("/api/documents").accept(MediaType.TEXT_HTML, MediaType.ALL).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/documents-that-are-no-route").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/documents/one/two").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isUnauthorized();
        // the admin pages open no admin API path
        for (String path : List.of("/api/admin/customers", "/api/admin/metrics/global",
                "/api/admin/customers/" + UUID.randomUUID() + "/usage")) {
            http.get().uri(path).accept(MediaType.TEXT_HTML).exchange().expectStatus().isUnauthorized();
        }
        String tenantToken = signUp().token();
        http.get().uri("/api/admin/customers").accept(MediaType.TEXT_HTML)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenantToken).exchange()
                .expectStatus().isForbidden();
        // the page routes take GET only
        http.post().uri("/documents").accept(MediaType.TEXT_HTML).exchange().expectStatus().isUnauthorized();
    }

    private HttpResponse<byte[]> get(HttpClient client, String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private WebTestClient.ResponseSpec page(String path) {
        return http.get().uri(path).accept(MediaType.TEXT_HTML).exchange();
    }

    private String scriptPath() {
        String page = page("/").expectBody(String.class).returnResult().getResponseBody();
        String script = page.replaceAll("(?s).*src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        assertThat(script).startsWith("/assets/");
        return script;
    }
}
