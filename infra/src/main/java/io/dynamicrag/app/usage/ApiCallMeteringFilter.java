package io.dynamicrag.app.usage;

import io.dynamicrag.app.ratelimit.TenantRateLimitFilter;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.usage.UsageMeter;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Counts every authenticated request as an {@code api_call}, per endpoint as the rate limiter names it
 * ({@code METHOD /path} with ids folded). Runs after Spring Security (order -100) and before the rate limiter
 * (order 0), so requests refused with 429 count too: they were made with the tenant's credential. Anonymous
 * requests (sign-up, login, refresh, health) and the actuator are not API calls of a tenant.
 */
@Component
@Order(-1)
public class ApiCallMeteringFilter implements WebFilter {

    private final UsageMeter meter;

    public ApiCallMeteringFilter(UsageMeter meter) {
        this.meter = meter;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (TenantRateLimitFilter.isUncounted(request.getMethod(), path)) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(authentication -> authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof AuthenticatedTenant)
                .doOnNext(authentication -> meter.record(
                        ((AuthenticatedTenant) authentication.getPrincipal()).tenantId(), UsageMetric.API_CALL, 1,
                        Map.of("endpoint", TenantRateLimitFilter.endpoint(request.getMethod(), path))))
                .then(Mono.defer(() -> chain.filter(exchange)));
    }
}
