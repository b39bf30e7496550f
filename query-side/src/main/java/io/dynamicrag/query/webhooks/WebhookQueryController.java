package io.dynamicrag.query.webhooks;

import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import java.util.List;

/** The caller's webhooks. Another tenant's id gets the same 404 as an unknown one. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/webhooks")
class WebhookQueryController {

    private final WebhookReadRepository webhooks;

    WebhookQueryController(WebhookReadRepository webhooks) {
        this.webhooks = webhooks;
    }

    @GetMapping
    Mono<WebhookList> list(@AuthenticationPrincipal AuthenticatedTenant caller) {
        return webhooks.list(caller.tenantId()).collectList().map(WebhookList::new);
    }

    @GetMapping("/{id}")
    Mono<WebhookView> get(@AuthenticationPrincipal AuthenticatedTenant caller, @PathVariable String id) {
        WebhookId webhook;
        try {
            webhook = WebhookId.of(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(notFound(id));
        }
        return webhooks.find(caller.tenantId(), webhook).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Webhook " + id + " not found");
    }

    record WebhookList(List<WebhookView> webhooks) {
    }
}
