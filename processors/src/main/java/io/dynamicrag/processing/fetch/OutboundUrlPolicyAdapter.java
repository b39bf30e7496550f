package io.dynamicrag.processing.fetch;

import io.dynamicrag.kernel.web.OutboundUrlPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The registration-time check of a URL the service will later call (a webhook's callback_url): the same scheme,
 * credential and address rules as {@link SafeHttpFetcher} and {@link SafeHttpPoster}, with the host resolved now.
 * It gives the client an early 400; the call itself checks every address again when it is made (DNS may change).
 */
public class OutboundUrlPolicyAdapter implements OutboundUrlPolicy {

    private final OutboundAddressPolicy policy;

    public OutboundUrlPolicyAdapter(OutboundAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain credentials (user:password@)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no valid host name");
        }
        try {
            Optional<java.net.InetAddress> literal = OutboundAddressPolicy.literalAddress(host);
            if (literal.isPresent()) {
                policy.requireAllowed(host, literal.get());
            } else {
                policy.resolveAllowed(host);
            }
            return Optional.empty();
        } catch (FetchRefusedException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.of("the host name " + host + " could not be resolved");
        }
    }
}
