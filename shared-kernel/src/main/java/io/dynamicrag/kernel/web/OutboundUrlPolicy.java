package io.dynamicrag.kernel.web;

import java.util.Optional;

/**
 * Whether the service may send requests to a URL: http(s) only, no credentials in it, and a host that resolves to
 * public addresses only (no loopback, private, link-local or cloud-metadata address). A port: the command side
 * asks when a URL is registered (e.g. a webhook's callback_url); the processors' adapter answers with the same
 * rules outbound requests are held to when they are made.
 */
public interface OutboundUrlPolicy {

    /** Why requests to {@code url} are refused, as a sentence for an API client; empty when they are allowed. */
    Optional<String> refusal(String url);
}
