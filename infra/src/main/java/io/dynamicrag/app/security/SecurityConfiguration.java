package io.dynamicrag.app.security;

import io.dynamicrag.app.web.DashboardRoutes;
import io.dynamicrag.app.web.ProblemResponses;
import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.command.tenancy.TenantCredentialStore;
import io.dynamicrag.command.tenancy.auth.AuthSessions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import java.time.Duration;
import java.util.List;

/**
 * Stateless security: every request carries its credential (API key or JWT); nothing is kept in a session.
 * Sign-up, login, refresh, health, Prometheus metrics and the static dashboard are open; /api/admin/** needs the admin role (403
 * otherwise); everything else needs a credential (401 otherwise). A suspended account gets 403.
 */
@Configuration
@EnableWebFluxSecurity
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, TenantCredentialStore credentials,
                                                  JwtService jwt, AuthSessions sessions,
                                                  CorsConfigurationSource corsConfigurationSource) {
        AuthenticationWebFilter authentication =
                new AuthenticationWebFilter(new TenantAuthenticationManager(credentials, jwt, sessions));
        authentication.setServerAuthenticationConverter(new ApiCredentialConverter());
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        authentication.setAuthenticationFailureHandler((webFilterExchange, exception) -> {
            if (exception instanceof TenantAuthenticationManager.SessionStoreUnavailableException) {
                webFilterExchange.getExchange().getResponse().getHeaders()
                        .set(HttpHeaders.RETRY_AFTER, ProblemResponses.UNAVAILABLE_RETRY_AFTER_SECONDS);
                return ProblemResponses.write(webFilterExchange.getExchange(), HttpStatus.SERVICE_UNAVAILABLE,
                        exception.getMessage());
            }
            return ProblemResponses.write(webFilterExchange.getExchange(),
                    exception instanceof DisabledException ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED,
                    exception.getMessage());
        });

        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .cors(cors -> cors.configurationSource(corsConfigurationSource))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(rules -> rules
                        .pathMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .pathMatchers(HttpMethod.POST, "/api/auth/signup", "/api/auth/login", "/api/auth/refresh")
                        .permitAll()
                        .pathMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**",
                                "/actuator/prometheus").permitAll()
                        // signed upload URLs carry their own credential (the token), like S3 presigned URLs
                        .pathMatchers(HttpMethod.PUT, "/api/uploads/*").permitAll()
                        // a webhook's inbound URL is its own credential (resolved by InboundWebhookFilter)
                        .pathMatchers(HttpMethod.POST, "/api/webhooks/in/*").permitAll()
                        .pathMatchers(HttpMethod.GET, "/index.html", "/assets/**", "/favicon.svg", "/favicon.ico")
                        .permitAll()
                        // a browser opening a dashboard route (GET, Accept: text/html): the page, not the API
                        .matchers(exchange -> DashboardRoutes.isPageRequest(exchange.getRequest())
                                ? ServerWebExchangeMatcher.MatchResult.match()
                                : ServerWebExchangeMatcher.MatchResult.notMatch()).permitAll()
                        .pathMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyExchange().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, e) -> ProblemResponses.write(exchange,
                                HttpStatus.UNAUTHORIZED,
                                "Authentication required: send X-API-Key or Authorization: Bearer"))
                        .accessDeniedHandler((exchange, e) -> ProblemResponses.write(exchange,
                                HttpStatus.FORBIDDEN, "This needs the admin role")))
                .build();
    }

    /** Browsers may call the API only from the configured dashboard origins (none by default). */
    @Bean
    CorsConfigurationSource corsConfigurationSource(@Value("${rag.cors.allowed-origins:}") List<String> origins) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(origins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
        // MCP-Protocol-Version: browser-based MCP clients send it on every request after initialisation
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-API-Key", "Idempotency-Key",
                "MCP-Protocol-Version", "X-Correlation-Id"));
        cors.setExposedHeaders(List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                "Retry-After", "Location", "X-Correlation-Id"));
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
