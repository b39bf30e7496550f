package io.dynamicrag.kernel.web;

/**
 * Fetches a public web page for ingestion, refusing every address that is not public (loopback, private,
 * link-local, multicast...) also after redirects and DNS resolution, with time and size limits. A port: the
 * command side asks, the processors' adapter fetches.
 */
public interface WebPageFetcher {

    /** Throws {@link PageFetchException} with a message fit for the API client. */
    FetchedPage fetch(String url);

    /** The bytes of the page as served, where they came from in the end, and its title if it has one. */
    record FetchedPage(String finalUrl, String contentType, byte[] body, String title) {
    }

    /** {@code refused}: the URL is not allowed (a client error); otherwise the fetch failed. */
    class PageFetchException extends RuntimeException {

        private final boolean refused;

        public PageFetchException(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }

        public boolean refused() {
            return refused;
        }
    }
}
