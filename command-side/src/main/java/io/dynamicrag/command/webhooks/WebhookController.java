package io.dynamicrag.command.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.command.ingestion.WebhookIngestion;
import io.dynamicrag.command.ingestion.WebhookPreview;
import io.dynamicrag.command.tenancy.SecretCipher;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.command.web.Storable;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.web.OutboundUrlPolicy;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.command.CreateWebhookCommand;
import io.dynamicrag.kernel.webhooks.api.command.DeleteWebhookCommand;
import io.dynamicrag.kernel.webhooks.api.command.RotateWebhookUrlCommand;
import io.dynamicrag.kernel.webhooks.api.command.UpdateWebhookCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Managing the caller's webhooks: create, change, delete, rotate the URL, and a dry-run test of the mapping. The
 * reads ({@code GET /api/webhooks[/{id}]}) are on the query side. Another tenant's webhook id gets the same 404 as
 * an unknown one.
 */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/webhooks")
class WebhookController {

    static final String DEFAULT_TRIGGER_TYPE = "manual";

    private final BlockingCommands commands;
    private final SecretCipher cipher;
    private final WebhookUrls urls;
    private final OutboundUrlPolicy outbound;
    private final WebhookEndpointStore endpoints;
    private final WebhookIngestion ingestion;

    WebhookController(BlockingCommands commands, SecretCipher cipher, WebhookUrls urls, OutboundUrlPolicy outbound,
                      WebhookEndpointStore endpoints, WebhookIngestion ingestion) {
        this.commands = commands;
        this.cipher = cipher;
        this.urls = urls;
        this.outbound = outbound;
        this.endpoints = endpoints;
        this.ingestion = ingestion;
    }

    @PostMapping
    Mono<ResponseEntity<WebhookResponse>> create(@AuthenticationPrincipal AuthenticatedTenant caller,
                                                 @Valid @RequestBody CreateRequest request) {
        TenantId tenant = caller.tenantId();
        WebhookConfig config = WebhookConfigParser.parse(request.config());
        return checkCallback(config).then(Mono.defer(() -> {
            WebhookId id = WebhookId.random();
            WebhookSecrets.NewToken token = WebhookSecrets.newToken();
            String signingSecret = WebhookSecrets.newSigningSecret();
            Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String triggerType = request.triggerType() == null ? DEFAULT_TRIGGER_TYPE : request.triggerType();
            boolean active = request.isActive() == null || request.isActive();
            CreateWebhookCommand command = new CreateWebhookCommand(id, tenant, request.name().trim(), triggerType,
                    config, active, token.hash(), token.shownPrefix(), cipher.encrypt(tenant, signingSecret),
                    createdAt);
            WebhookDetails created = new WebhookDetails(id, command.name(), triggerType, config, active,
                    token.shownPrefix(), null, createdAt);
            return commands.send(command).thenReturn(ResponseEntity.created(URI.create("/api/webhooks/" + id))
                    .body(WebhookResponse.of(created, urls.full(token.plaintext()), signingSecret)));
        }));
    }

    /** Omitted fields keep their value; a given {@code config} replaces the whole config. */
    @PutMapping("/{id}")
    Mono<WebhookResponse> update(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id,
                                 @Valid @RequestBody UpdateRequest request) {
        WebhookId webhook = parse(id);
        if (request.name() != null && request.name().isBlank()) {
            throw new InvalidWebhookException("name", "must not be blank");
        }
        WebhookConfig config = request.config() == null || request.config().isNull() ? null
                : WebhookConfigParser.parse(request.config());
        UpdateWebhookCommand command = new UpdateWebhookCommand(webhook, caller.tenantId(),
                request.name() == null ? null : request.name().trim(), request.triggerType(), config,
                request.isActive());
        return checkCallback(config)
                .then(this.<WebhookDetails>send(command, id))
                .map(details -> WebhookResponse.of(details, urls.masked(details.urlTokenPrefix()), null));
    }

    @DeleteMapping("/{id}")
    Mono<Deleted> delete(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        return send(new DeleteWebhookCommand(parse(id), caller.tenantId()), id)
                .then(Mono.just(new Deleted(id, "deleted")));
    }

    /** A new URL; the old one answers 404 from now on. */
    @PostMapping("/{id}/rotate")
    Mono<WebhookResponse> rotate(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        WebhookSecrets.NewToken token = WebhookSecrets.newToken();
        return this.<WebhookDetails>send(new RotateWebhookUrlCommand(parse(id), caller.tenantId(), token.hash(),
                        token.shownPrefix()), id)
                .map(details -> WebhookResponse.of(details, urls.full(token.plaintext()), null));
    }

    /**
     * Dry run: maps the posted sample (or, with no body, a sample built from the field mapping) exactly as the
     * webhook's URL would, checks it against the account's limits, and shows what would be ingested. Stores
     * nothing and does not count as a trigger.
     */
    @PostMapping("/{id}/test")
    Mono<WebhookPreview> test(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id,
                              @RequestBody(required = false) Mono<JsonNode> sample) {
        WebhookId webhook = parse(id);
        return Mono.fromCallable(() -> endpoints.find(caller.tenantId(), webhook))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found.isEmpty() ? Mono.error(new WebhookNotFoundException(id))
                        : sample.map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(body -> ingestion.preview(caller.tenantId(), webhook, found.get().config(),
                                body.orElse(null))));
    }

    /** Resolves the callback host now, for an early 400; delivery checks every address again when it sends. */
    private Mono<Void> checkCallback(WebhookConfig config) {
        if (config == null || config.callbackUrl() == null) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> outbound.refusal(config.callbackUrl()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(refusal -> refusal.isPresent()
                        ? Mono.error(new InvalidWebhookException("config.callback_url", refusal.get()))
                        : Mono.empty());
    }

    private <R> Mono<R> send(Object command, String id) {
        return commands.<R>send(command)
                .onErrorMap(AggregateNotFoundException.class, e -> new WebhookNotFoundException(id));
    }

    /** A malformed id names no webhook: the same 404 as another tenant's. */
    private static WebhookId parse(String id) {
        try {
            return WebhookId.of(id);
        } catch (IllegalArgumentException e) {
            throw new WebhookNotFoundException(id);
        }
    }

    record CreateRequest(
            @NotBlank @Size(max = 255) @Storable String name,
            @JsonProperty("trigger_type") @Pattern(regexp = "manual|scheduled|event",
                    message = "must be one of: manual, scheduled, event") String triggerType,
            JsonNode config,
            @JsonProperty("is_active") Boolean isActive) {
    }

    record UpdateRequest(
            @Size(max = 255) @Storable String name,
            @JsonProperty("trigger_type") @Pattern(regexp = "manual|scheduled|event",
                    message = "must be one of: manual, scheduled, event") String triggerType,
            JsonNode config,
            @JsonProperty("is_active") Boolean isActive) {
    }

    record Deleted(String id, String status) {
    }
}
