package io.dynamicrag.processing.fetch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlMainContentTest {

    private static final String NEWS_PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>  Tidal Energy in 2025 | Example News  </title>
              <meta property="og:title" content="Tidal energy (social title)">
              <style>body { font-family: sans-serif; }</style>
              <script>window.analytics = { track: function () {} };</script>
            </head>
            <body>
              <div id="cookie-banner" class="cookieConsent">
                We use cookies to improve your experience. <button>Accept all cookies</button>
              </div>
              <header class="site-header">
                <a href="/">Example News</a>
                <nav><ul><li><a href="/world">World</a></li><li><a href="/science">Science</a></li></ul></nav>
              </header>
              <div class="layout-with-sidebar">
                <ul class="breadcrumb"><li>Home</li><li>Science</li></ul>
                <main>
                  <article>
                    <header><h1>Tidal energy comes of age</h1><p class="byline">By A. Writer</p></header>
                    <p>Tidal turbines off the Scottish coast   delivered a record
                       amount of power this winter.</p>
                    <h2>How the turbines work</h2>
                    <p>Each turbine sits on the seabed and turns with the tide, twice a day, <b>predictably</b>.</p>
                    <ul>
                      <li>Predictable output</li>
                      <li>Low visual impact</li>
                    </ul>
                    <div class="share-buttons">Share on Facebook Share on X</div>
                    <p>Engineers expect costs to fall<br>as production scales.</p>
                  </article>
                  <section class="related-articles"><h3>Related</h3><p>Wind power hits new high</p></section>
                  <div id="comments"><p>First! Great article.</p></div>
                </main>
                <aside><h3>Most read</h3><p>Celebrity gossip item</p></aside>
                <div class="ad-slot">Buy cheap watches</div>
              </div>
              <footer role="contentinfo"><p>Copyright 2025 Example News. All rights reserved.</p></footer>
              <noscript>Please enable JavaScript</noscript>
            </body>
            </html>
            """;

    @Test
    void keepsTheArticleAndDropsPageFurniture() {
        MainContent content = HtmlMainContent.extract(NEWS_PAGE.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, "https://news.example/science/tidal");

        assertThat(content.text()).isEqualTo("""
                Tidal energy comes of age

                By A. Writer

                Tidal turbines off the Scottish coast delivered a record amount of power this winter.

                How the turbines work

                Each turbine sits on the seabed and turns with the tide, twice a day, predictably.

                Predictable output

                Low visual impact

                Engineers expect costs to fall
                as production scales.""");
        assertThat(content.text()).doesNotContain("cookies", "World", "Science", "Home", "Share on", "Related",
                "Wind power", "First!", "Most read", "gossip", "watches", "Copyright", "JavaScript", "analytics",
                "font-family");
    }

    @Test
    void titleComesFromTheTitleElementThenOgTitleThenH1() {
        assertThat(HtmlMainContent.extract(NEWS_PAGE, null).title()).isEqualTo("Tidal Energy in 2025 | Example News");
        assertThat(HtmlMainContent.extract("""
                <html><head><meta property="og:title" content="Open Graph Title"></head>
                <body><h1>Heading</h1><p>Text</p></body></html>""", null).title()).isEqualTo("Open Graph Title");
        assertThat(HtmlMainContent.extract("""
                <html><head><title> </title></head><body><header><h1>Site   heading</h1></header>
                <p>Text</p></body></html>""", null).title()).isEqualTo("Site heading");
        assertThat(HtmlMainContent.extract("<p>No title at all</p>", null).title()).isEmpty();
    }

    @Test
    void withoutMainOrArticleThePageBlockWithMostParagraphTextWins() {
        String html = """
                <html><head><title>Recipes</title></head><body>
                  <div id="top"><a href="/">Recipes home</a> <a href="/login">Log in</a></div>
                  <div id="left">
                    <p>Short teaser one.</p>
                  </div>
                  <div id="story">
                    <h2>Slow-cooked beans</h2>
                    <p>Soak the beans overnight in plenty of cold water, then drain and rinse them well.</p>
                    <p>Cook them slowly with onion, garlic and a bay leaf for about three hours.</p>
                    <p>Season only at the end, when the beans are tender, so the skins stay soft.</p>
                  </div>
                  <div id="bottom"><p>Contact us</p></div>
                </body></html>""";

        MainContent content = HtmlMainContent.extract(html.getBytes(StandardCharsets.UTF_8), null, null);

        assertThat(content.text()).startsWith("Slow-cooked beans\n\nSoak the beans overnight")
                .contains("Cook them slowly", "Season only at the end")
                .doesNotContain("Recipes home", "Log in", "Short teaser", "Contact us");
    }

    @Test
    void decodesTheCharsetGivenByTheServer() {
        String html = "<html><head><title>Caf\u00e9 r\u00e9sum\u00e9</title></head>"
                + "<body><article><p>Le caf\u00e9 est d\u00e9licieux.</p></article></body></html>";
        byte[] latin1 = html.getBytes(StandardCharsets.ISO_8859_1);

        MainContent content = HtmlMainContent.extract(latin1, StandardCharsets.ISO_8859_1, "http://example.org/");

        assertThat(content.title()).isEqualTo("Caf\u00e9 r\u00e9sum\u00e9");
        assertThat(content.text()).isEqualTo("Le caf\u00e9 est d\u00e9licieux.");
    }

    @Test
    void detectsTheCharsetFromTheMetaTagWhenTheServerNamesNone() {
        String html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                + "<title>\u00c9t\u00e9</title></head><body><main><p>\u00e9t\u00e9 \u00e0 Paris</p></main></body></html>";

        MainContent content = HtmlMainContent.extract(html.getBytes(StandardCharsets.ISO_8859_1), null, null);

        assertThat(content.title()).isEqualTo("\u00c9t\u00e9");
        assertThat(content.text()).isEqualTo("\u00e9t\u00e9 \u00e0 Paris");
    }

    @Test
    void keepsPreformattedLinesAndTableCells() {
        String html = """
                <main><h1>Config</h1><pre>
                server:
                  port: 8080
                </pre><table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table></main>""";

        assertThat(HtmlMainContent.extract(html, null).text())
                .isEqualTo("Config\n\nserver:\n  port: 8080\n\nKey Value\n\na 1");
    }

    @Test
    void emptyInputGivesEmptyContent() {
        MainContent content = HtmlMainContent.extract(new byte[0], null, null);

        assertThat(content.title()).isEmpty();
        assertThat(content.text()).isEmpty();
    }
}
