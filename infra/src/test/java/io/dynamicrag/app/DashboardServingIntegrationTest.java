package io.dynamicrag.app;

import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's pages are served by the app; its client routes fall back to index.html, the API is untouched. */
class DashboardServingIntegrationTest extends IntegrationTest {

    @Test
    void clientRoutesAnswerTheDashboardPageWithoutCredentials() {
        for (String path : new String[]{"/", "/login", "/signup"}) {
            String body = http.get().uri(path).accept(MediaType.TEXT_HTML).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().valueMatches("Cache-Control", ".*no-cache.*")
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(path).contains("<div id=\"root\"></div>").contains("/assets/");
        }
    }

    @Test
    void theBuiltScriptIsServedAndAMissingAssetIsNotThePage() {
        String page = http.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        String script = page.replaceAll("(?s).*src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        assertThat(script).startsWith("/assets/");
        http.get().uri(script).exchange().expectStatus().isOk()
                .expectHeader().valueMatches("Content-Type", ".*javascript.*");
        http.get().uri("/assets/no-such-file.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void apiPathsStillNeedCredentialsWhenABrowserAsksForHtml() {
        http.get().uri("/api/documents").accept(MediaType.TEXT_HTML, MediaType.ALL).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/documents-that-are-no-route").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isUnauthorized();
    }
}
