package io.dynamicrag.processing.fetch;

import io.dynamicrag.kernel.web.WebPageFetcher;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The ingestion port over {@link SafeHttpFetcher}: public http(s) pages only, HTML-ish content only. */
public class WebPageFetcherAdapter implements WebPageFetcher {

    private final SafeHttpFetcher fetcher;

    public WebPageFetcherAdapter(SafeHttpFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public FetchedPage fetch(String url) {
        SafeHttpFetcher.Response response;
        try {
            response = fetcher.fetch(url);
        } catch (FetchRefusedException e) {
            throw new PageFetchException(e.getMessage(), true);
        } catch (FetchFailedException e) {
            throw new PageFetchException(e.getMessage(), false);
        }
        String type = response.contentType();
        if (type != null && !(type.startsWith("text/html") || type.startsWith("application/xhtml")
                || type.startsWith("text/plain"))) {
            throw new PageFetchException("The URL serves " + type + ", not a web page; upload the file through "
                    + "/api/ingest/file instead", false);
        }
        if (response.body().length == 0) {
            throw new PageFetchException("The page at " + response.finalUrl() + " is empty", false);
        }
        if (type != null && type.startsWith("text/plain")) {
            Charset charset = response.charset() == null ? StandardCharsets.UTF_8 : response.charset();
            return new FetchedPage(response.finalUrl().toString(), type,
                    new String(response.body(), charset).getBytes(StandardCharsets.UTF_8), null);
        }
        // null charset: jsoup detects it from the BOM or <meta charset>
        MainContent content = HtmlMainContent.extract(response.body(), response.charset(),
                response.finalUrl().toString());
        if (content.text().isBlank()) {
            throw new PageFetchException("The page at " + response.finalUrl() + " has no readable text", false);
        }
        return new FetchedPage(response.finalUrl().toString(), type, asStoredHtml(response), content.title());
    }

    /**
     * The page as it will be stored and parsed again later, when the HTTP header is no longer around: a charset
     * named only in the header is applied now (UTF-8 with a byte-order mark, which jsoup honours before any
     * {@code <meta charset>}).
     */
    private static byte[] asStoredHtml(SafeHttpFetcher.Response response) {
        if (response.charset() == null || StandardCharsets.UTF_8.equals(response.charset())) {
            return response.body();
        }
        byte[] utf8 = new String(response.body(), response.charset()).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        return withBom;
    }
}
