package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.command.ingestion.WebhookIngestion;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.webhooks.api.command.RecordWebhookTriggeredCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The URL a webhook gives out: whatever n8n posts there, with no other header (the URL is the credential), is
 * mapped with the webhook's config and ingested; 202 like every ingestion path (an array gets one result per
 * item). The token was resolved by {@link InboundWebhookFilter}; without that resolution the answer is 404 — the
 * same for a token that never existed, was rotated, deleted or deactivated.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
class InboundWebhookController {

    private static final Logger log = LoggerFactory.getLogger(InboundWebhookController.class);
    static final String UNKNOWN_URL = "No active webhook has this URL";

    private final WebhookIngestion ingestion;
    private final BlockingCommands commands;

    InboundWebhookController(WebhookIngestion ingestion, BlockingCommands commands) {
        this.ingestion = ingestion;
        this.commands = commands;
    }

    @PostMapping(WebhookUrls.INBOUND_PATH + "{reference}")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Object> receive(@PathVariable String reference, ServerWebExchange exchange,
                         @RequestBody(required = false) Mono<JsonNode> body) {
        ResolvedWebhook webhook = exchange.getAttribute(ResolvedWebhook.ATTRIBUTE);
        if (webhook == null || !webhook.webhookId().toString().equals(reference)) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, UNKNOWN_URL));
        }
        if (!webhook.tenantActive()) {
            return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN, "This account is suspended"));
        }
        return body.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "A JSON body is required")))
                .flatMap(payload -> ingestion.ingest(webhook.tenantId(), webhook.webhookId(), webhook.config(),
                        payload))
                .flatMap(outcome -> recordTrigger(webhook, outcome.accepted()).thenReturn(outcome.body()));
    }

    /** last_triggered_at is bookkeeping: failing to record it must not turn an accepted delivery into an error. */
    private Mono<Void> recordTrigger(ResolvedWebhook webhook, int accepted) {
        if (accepted == 0) {
            return Mono.empty();
        }
        return commands.send(new RecordWebhookTriggeredCommand(webhook.webhookId(), webhook.tenantId(), accepted))
                .then()
                .onErrorResume(e -> {
                    log.warn("Webhook {} accepted {} documents but its trigger was not recorded: {}",
                            webhook.webhookId(), accepted, e.toString());
                    return Mono.empty();
                });
    }
}
