package io.dynamicrag.command.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** No such webhook for this tenant (another tenant's, deleted, or never existed): one answer for all, 404. */
public class WebhookNotFoundException extends ResponseStatusException {

    public WebhookNotFoundException(String webhookId) {
        super(HttpStatus.NOT_FOUND, "Webhook " + webhookId + " not found");
    }
}
