package io.dynamicrag.command.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A webhook request the service refuses; a 400 whose detail names the field, e.g. {@code config.callback_url}. */
public class InvalidWebhookException extends ResponseStatusException {

    public InvalidWebhookException(String field, String problem) {
        super(HttpStatus.BAD_REQUEST, "Invalid request: " + field + ": " + problem);
    }
}
