package io.dynamicrag.command.webhooks;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * Exchanges an inbound webhook URL's token for its tenant, like an API key is exchanged at the edge, so that what
 * follows treats the delivery as that tenant's request: the per-tenant, per-endpoint rate limits (order 0) and the
 * Idempotency-Key scope (order 1) apply as to any authenticated call. Runs after Spring Security (which lets
 * {@code POST /api/webhooks/in/*} through without a credential, order -100) and before both.
 *
 * <p>For a token of an active webhook of an active account the request continues with the tenant as principal and
 * its path rewritten to {@code /api/webhooks/in/<webhook id>}: the rate limiter then counts the endpoint
 * {@code POST /api/webhooks/in/{id}}, and the secret token never reaches Redis keys, metric tags or problem
 * bodies. An unknown, rotated, deleted or inactive token continues untouched and the controller answers 404 (one
 * answer for all); a suspended account's token is resolved without a principal and answered 403.
 */
@Component
@Order(-50)
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
class InboundWebhookFilter implements WebFilter {

    private final WebhookEndpointStore endpoints;

    InboundWebhookFilter(WebhookEndpointStore endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String token = inboundToken(exchange);
        if (token == null) {
            return chain.filter(exchange);
        }
        return Mono.fromCallable(() -> endpoints.findByTokenHash(WebhookSecrets.hash(token)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found.filter(WebhookEndpointStore.Endpoint::active)
                        .map(endpoint -> resolved(exchange, chain, endpoint))
                        .orElseGet(() -> chain.filter(exchange)));
    }

    private static Mono<Void> resolved(ServerWebExchange exchange, WebFilterChain chain,
                                       WebhookEndpointStore.Endpoint endpoint) {
        exchange.getAttributes().put(ResolvedWebhook.ATTRIBUTE, new ResolvedWebhook(endpoint.webhookId(),
                endpoint.tenantId(), endpoint.config(), endpoint.tenantActive()));
        ServerWebExchange rewritten = exchange.mutate()
                .request(request -> request.path(WebhookUrls.INBOUND_PATH + endpoint.webhookId()))
                .build();
        if (!endpoint.tenantActive()) {
            return chain.filter(rewritten);
        }
        AuthenticatedTenant principal = AuthenticatedTenant.byApiKey(endpoint.tenantId(), null, false);
        return chain.filter(rewritten).contextWrite(ReactiveSecurityContextHolder.withAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of())));
    }

    /** The token of {@code POST /api/webhooks/in/<token>} when it looks like one, else null. */
    private static String inboundToken(ServerWebExchange exchange) {
        if (!HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
            return null;
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(WebhookUrls.INBOUND_PATH)) {
            return null;
        }
        String token = path.substring(WebhookUrls.INBOUND_PATH.length());
        if (token.endsWith("/")) {
            token = token.substring(0, token.length() - 1);
        }
        return WebhookSecrets.looksLikeToken(token) ? token : null;
    }
}
