package io.dynamicrag.command.webhooks;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The inbound URL of a webhook: in full (shown once, on create and rotate) or masked (everywhere else). */
@Component
class WebhookUrls {

    static final String INBOUND_PATH = "/api/webhooks/in/";

    private final String publicUrl;

    WebhookUrls(@Value("${rag.public-url:http://localhost:8080}") String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    String full(String token) {
        return publicUrl + INBOUND_PATH + token;
    }

    String masked(String tokenPrefix) {
        return publicUrl + INBOUND_PATH + tokenPrefix + "…";
    }
}
