package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.modelcontextprotocol.common.McpTransportContext;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Carries the authenticated tenant from Spring Security into the MCP tools. Security has verified the request's
 * credential before any of this runs (no credential: 401 before MCP handling); {@link #filter} copies the resulting
 * {@link AuthenticatedTenant} into the exchange, {@link #extract} (the transport's context extractor) puts it into
 * the MCP transport context, and {@link #of} reads it in a tool. Tools never take a tenant from their arguments.
 */
final class McpCaller implements WebFilter, Ordered {

    /** After Spring Security's filter chain (-100), which puts the verified caller into the Reactor context. */
    static final int ORDER = -50;

    private static final String ATTRIBUTE = McpCaller.class.getName() + ".tenant";
    private static final String CONTEXT_KEY = "tenant";

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!McpRoutes.MCP_PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(Authentication::isAuthenticated)
                .map(Authentication::getPrincipal)
                .ofType(AuthenticatedTenant.class)
                .doOnNext(tenant -> exchange.getAttributes().put(ATTRIBUTE, tenant))
                .then(chain.filter(exchange));
    }

    static McpTransportContext extract(ServerRequest request) {
        return request.attribute(ATTRIBUTE)
                .map(tenant -> McpTransportContext.create(Map.of(CONTEXT_KEY, tenant)))
                .orElse(McpTransportContext.EMPTY);
    }

    /** The caller of a plain HTTP request on the MCP path. */
    static java.util.Optional<AuthenticatedTenant> of(ServerRequest request) {
        return request.attribute(ATTRIBUTE).filter(AuthenticatedTenant.class::isInstance)
                .map(AuthenticatedTenant.class::cast);
    }

    /** The caller, or a tool error when the request somehow arrived without one (fail closed). */
    static AuthenticatedTenant of(McpTransportContext context) {
        Object tenant = context == null ? null : context.get(CONTEXT_KEY);
        if (tenant instanceof AuthenticatedTenant caller) {
            return caller;
        }
        throw new ToolError("Not authenticated: send X-API-Key or Authorization: Bearer");
    }
}
