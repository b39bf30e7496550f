package io.dynamicrag.app.audit;

import io.dynamicrag.kernel.audit.AuditContext;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an {@link AuditContext}: the actor from the verified principal and a correlation id (the
 * client's {@code X-Correlation-Id} when it is a plain token of at most 64 characters, else a new UUID), echoed in
 * the response header. Commands sent for the request carry both into their events' metadata.
 *
 * <p>Runs after Spring Security (-100) and the inbound-webhook resolution (-50), so the principal is known. A
 * webhook delivery is recognised only by its rewritten path {@code /api/webhooks/in/<webhook id>} with a resolved
 * principal: an unresolved path may hold a secret token and is never read.
 */
@Component
@Order(-10)
public class AuditContextFilter implements WebFilter {

    public static final String HEADER = "X-Correlation-Id";

    private static final Pattern CLIENT_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern WEBHOOK_PATH = Pattern.compile(
            "/api/webhooks/in/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String correlationId = correlationId(exchange.getRequest().getHeaders().getFirst(HEADER));
        exchange.getResponse().getHeaders().set(HEADER, correlationId);
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .map(authentication -> actor(authentication, exchange))
                .defaultIfEmpty("anonymous")
                .flatMap(actor -> chain.filter(exchange)
                        .contextWrite(context -> context.put(AuditContext.class,
                                new AuditContext(actor, correlationId))));
    }

    static String correlationId(String fromClient) {
        return fromClient != null && CLIENT_CORRELATION_ID.matcher(fromClient).matches()
                ? fromClient
                : UUID.randomUUID().toString();
    }

    private static String actor(Authentication authentication, ServerWebExchange exchange) {
        if (!authentication.isAuthenticated()
                || !(authentication.getPrincipal() instanceof AuthenticatedTenant tenant)) {
            return "anonymous";
        }
        var webhook = WEBHOOK_PATH.matcher(exchange.getRequest().getPath().pathWithinApplication().value());
        if (webhook.matches()) {
            return "webhook:" + webhook.group(1).toLowerCase();
        }
        return (tenant.admin() ? "admin:" : "tenant:") + tenant.tenantId();
    }
}
