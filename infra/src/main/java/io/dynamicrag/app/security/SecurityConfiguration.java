package io.dynamicrag.app.security;

import io.dynamicrag.app.web.ProblemResponses;
import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.command.tenancy.TenantCredentialStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * Stateless security: every request carries its credential (API key or JWT); nothing is kept in a session.
 * Only sign-up, health and the static dashboard are open; everything else needs a credential, else 401.
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
                                                  JwtService jwt) {
        AuthenticationWebFilter authentication =
                new AuthenticationWebFilter(new TenantAuthenticationManager(credentials, jwt));
        authentication.setServerAuthenticationConverter(new ApiCredentialConverter());
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        authentication.setAuthenticationFailureHandler((webFilterExchange, exception) ->
                ProblemResponses.write(webFilterExchange.getExchange(), HttpStatus.UNAUTHORIZED,
                        exception.getMessage()));

        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(rules -> rules
                        .pathMatchers(HttpMethod.POST, "/api/auth/signup").permitAll()
                        .pathMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .pathMatchers(HttpMethod.GET, "/", "/index.html", "/assets/**", "/favicon.ico").permitAll()
                        .anyExchange().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, e) -> ProblemResponses.write(exchange,
                                HttpStatus.UNAUTHORIZED,
                                "Authentication required: send X-API-Key or Authorization: Bearer"))
                        .accessDeniedHandler((exchange, e) -> ProblemResponses.write(exchange,
                                HttpStatus.FORBIDDEN, "Access denied")))
                .build();
    }
}
