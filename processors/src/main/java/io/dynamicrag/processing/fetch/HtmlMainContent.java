package io.dynamicrag.processing.fetch;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Extracts a web page's title and main text with jsoup, leaving out navigation, headers, footers, sidebars,
 * cookie banners and similar page furniture.
 *
 * <ol>
 *   <li>Title: {@code <title>}, else {@code og:title}, else the first {@code <h1>}.</li>
 *   <li>Drop what is never content: scripts, styles, {@code noscript}, {@code template}, {@code svg},
 *       {@code iframe}, forms and controls, {@code nav}, {@code footer}, {@code aside}, {@code header} (unless it
 *       sits inside the article or main element, where it holds the article's own heading), elements with role
 *       navigation/banner/contentinfo/complementary/search, hidden elements, and elements whose class or id has a
 *       boilerplate token (nav, menu, footer, sidebar, cookie, consent, banner, breadcrumb, share, social,
 *       related, comments, ads, ...). A token-matched element is kept when it contains the main/article element or
 *       most of the page's text (a wrapper called {@code layout-with-sidebar} is not boilerplate).</li>
 *   <li>Choose the root: the largest {@code <main>}, else {@code <article>}, else {@code [role=main]}, else
 *       {@code #content}/{@code .content} (each only if it holds a real share of the page's text), else the
 *       element with the most paragraph text (moving up to its parent while that adds much more), else
 *       {@code <body>}.</li>
 *   <li>Render: each block (paragraph, heading, list item, table row, ...) on its own, blocks separated by a
 *       blank line, {@code <br>} kept as a line break, whitespace collapsed; {@code <pre>} keeps its lines.</li>
 * </ol>
 */
public final class HtmlMainContent {

    private static final String NEVER_CONTENT = String.join(", ",
            "script", "style", "noscript", "template", "svg", "iframe", "frame", "frameset", "object", "embed",
            "canvas", "form", "button", "input", "select", "textarea", "dialog", "nav", "footer", "aside",
            "[hidden]", "[role=navigation]", "[role=banner]", "[role=contentinfo]", "[role=complementary]",
            "[role=search]");

    private static final Set<String> BOILERPLATE_TOKENS = Set.of(
            "nav", "navbar", "navigation", "menu", "menubar", "submenu", "topbar", "footer", "sidebar", "sidenav",
            "cookie", "cookies", "consent", "gdpr", "banner", "breadcrumb", "breadcrumbs", "share", "sharing",
            "social", "related", "comments", "comment", "advert", "advertisement", "advertising", "ads", "ad",
            "sponsored", "promo", "popup", "modal", "newsletter", "subscribe", "skip", "pagination", "pager");

    private static final Set<String> BLOCK_TAGS = Set.of(
            "html", "body", "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
            "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
            "table", "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "address", "details",
            "summary", "hr", "fieldset", "legend", "center", "menu");

    private static final Set<String> CELL_TAGS = Set.of("td", "th");
    private static final Set<String> PROTECTED_TAGS = Set.of("html", "head", "body", "main", "article");
    private static final String MAIN_LIKE = "main, article, [role=main]";

    private static final Pattern TOKEN_SPLIT = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2007\\u202F\\u200B\\uFEFF]+");

    private HtmlMainContent() {
    }

    /**
     * @param html    the page's bytes
     * @param charset the charset from the HTTP Content-Type, or null to detect it (BOM, {@code <meta charset>},
     *                else UTF-8)
     * @param baseUrl the page's URL (for relative links), may be null
     */
    public static MainContent extract(byte[] html, Charset charset, String baseUrl) {
        Document document;
        try {
            document = Jsoup.parse(new ByteArrayInputStream(html == null ? new byte[0] : html),
                    charset == null ? null : charset.name(), baseUrl == null ? "" : baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory; not expected
        }
        return extract(document);
    }

    public static MainContent extract(String html, String baseUrl) {
        return extract(Jsoup.parse(html == null ? "" : html, baseUrl == null ? "" : baseUrl));
    }

    static MainContent extract(Document document) {
        String title = title(document);
        Element body = document.body();
        if (body == null) {
            return new MainContent(title, "");
        }
        removeBoilerplate(body);
        return new MainContent(title, render(chooseRoot(body)));
    }

    // ---- title -----------------------------------------------------------------------------------------------

    private static String title(Document document) {
        String title = collapse(document.title());
        if (title.isEmpty()) {
            Element og = document.selectFirst("meta[property=og:title], meta[name=og:title]");
            title = og == null ? "" : collapse(og.attr("content"));
        }
        if (title.isEmpty()) {
            Element h1 = document.selectFirst("h1");
            title = h1 == null ? "" : collapse(h1.text());
        }
        return title;
    }

    // ---- pruning ---------------------------------------------------------------------------------------------

    private static void removeBoilerplate(Element body) {
        body.select(NEVER_CONTENT).remove();
        for (Element header : body.select("header")) {
            if (header.closest(MAIN_LIKE) == null) {
                header.remove();
            }
        }
        int pageText = textLength(body);
        List<Element> furniture = new ArrayList<>();
        for (Element element : body.select("[class], [id]")) {
            if (hasBoilerplateToken(element) && !isProtected(element, pageText)) {
                furniture.add(element);
            }
        }
        furniture.forEach(Element::remove);
    }

    private static boolean hasBoilerplateToken(Element element) {
        return hasToken(element.className()) || hasToken(element.id());
    }

    private static boolean hasToken(String attribute) {
        if (attribute == null || attribute.isEmpty()) {
            return false;
        }
        for (String token : TOKEN_SPLIT.split(attribute)) {
            if (BOILERPLATE_TOKENS.contains(token.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isProtected(Element element, int pageText) {
        if (PROTECTED_TAGS.contains(element.normalName()) || "main".equals(element.attr("role"))) {
            return true;
        }
        if (element.selectFirst(MAIN_LIKE) != null) {
            return true;
        }
        return pageText > 0 && textLength(element) * 2 > pageText;
    }

    // ---- choosing the root -----------------------------------------------------------------------------------

    private static Element chooseRoot(Element body) {
        int pageText = textLength(body);
        for (String selector : List.of("main", "article", "[role=main]", "#content, .content")) {
            Element candidate = largest(body.select(selector));
            if (candidate != null && isSubstantial(candidate, pageText)) {
                return candidate;
            }
        }
        Element densest = densest(body);
        return densest != null ? densest : body;
    }

    private static boolean isSubstantial(Element candidate, int pageText) {
        int length = textLength(candidate);
        return length > 0 && (length >= 500 || length * 5 >= pageText);
    }

    private static Element largest(Elements elements) {
        Element best = null;
        int bestLength = -1;
        for (Element element : elements) {
            int length = textLength(element);
            if (length > bestLength) {
                best = element;
                bestLength = length;
            }
        }
        return best;
    }

    /** The parent of the most paragraph text, moved up while its parent holds clearly more paragraph text. */
    private static Element densest(Element body) {
        Map<Element, Integer> scores = new IdentityHashMap<>();
        for (Element paragraph : body.select("p, pre")) {
            Element parent = paragraph.parent();
            if (parent != null) {
                scores.merge(parent, textLength(paragraph), Integer::sum);
            }
        }
        Element best = null;
        int bestScore = 0;
        for (Map.Entry<Element, Integer> entry : scores.entrySet()) {
            if (entry.getValue() > bestScore) {
                best = entry.getKey();
                bestScore = entry.getValue();
            }
        }
        if (best == null) {
            return null;
        }
        while (best != body && best.parent() != null && best.parent() != body) {
            Element parent = best.parent();
            if (paragraphText(parent) * 2 >= paragraphText(best) * 3) {
                best = parent;
            } else {
                break;
            }
        }
        return best;
    }

    private static int paragraphText(Element element) {
        int total = 0;
        for (Element paragraph : element.select("p, pre")) {
            total += textLength(paragraph);
        }
        return total;
    }

    private static int textLength(Element element) {
        return element.text().length();
    }

    // ---- rendering -------------------------------------------------------------------------------------------

    private static String render(Element root) {
        BlockWriter writer = new BlockWriter();
        NodeTraversor.filter(writer, root);
        writer.flush();
        return String.join("\n\n", writer.blocks);
    }

    private static final class BlockWriter implements NodeFilter {

        private final List<String> blocks = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                current.append(SPACES.matcher(text.getWholeText()).replaceAll(" "));
            } else if (node instanceof Element element) {
                String tag = element.normalName();
                if (tag.equals("pre")) {
                    flush();
                    addPreformatted(element.wholeText());
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (tag.equals("br")) {
                    current.append('\n');
                } else if (BLOCK_TAGS.contains(tag)) {
                    flush();
                } else if (CELL_TAGS.contains(tag)) {
                    current.append(' ');
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element) {
                String tag = element.normalName();
                if (BLOCK_TAGS.contains(tag)) {
                    flush();
                } else if (CELL_TAGS.contains(tag)) {
                    current.append(' ');
                }
            }
            return FilterResult.CONTINUE;
        }

        void flush() {
            List<String> lines = new ArrayList<>();
            for (String line : current.toString().split("\n")) {
                String collapsed = collapse(line);
                if (!collapsed.isEmpty()) {
                    lines.add(collapsed);
                }
            }
            current.setLength(0);
            if (!lines.isEmpty()) {
                blocks.add(String.join("\n", lines));
            }
        }

        private void addPreformatted(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\r?\n", -1)) {
                lines.add(line.stripTrailing());
            }
            while (!lines.isEmpty() && lines.get(0).isBlank()) {
                lines.remove(0);
            }
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            if (!lines.isEmpty()) {
                blocks.add(String.join("\n", lines));
            }
        }
    }

    private static String collapse(String text) {
        return text == null ? "" : SPACES.matcher(text).replaceAll(" ").trim();
    }
}
