package io.dynamicrag.command.ingestion;

import java.net.URI;
import java.util.Locale;

/**
 * What makes two submissions the same document: the tenant's {@code external_id}, else the {@code source_url}
 * (normalised: lower-case scheme and host, no fragment, no default port, no trailing slash), else nothing.
 */
final class DocumentIdentity {

    private DocumentIdentity() {
    }

    static String key(String externalId, String sourceUrl) {
        if (externalId != null && !externalId.isBlank()) {
            return "external:" + externalId.trim();
        }
        if (sourceUrl != null && !sourceUrl.isBlank()) {
            return "url:" + normaliseUrl(sourceUrl.trim());
        }
        return null;
    }

    static String normaliseUrl(String url) {
        try {
            URI uri = new URI(url).normalize();
            if (uri.getScheme() == null || uri.getHost() == null) {
                return url;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                    + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }
}
