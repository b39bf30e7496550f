package io.dynamicrag.app.security;

import io.dynamicrag.command.tenancy.ApiKeys;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the caller's credential: {@code X-API-Key} (n8n's Header Auth), or {@code Authorization: Bearer} carrying
 * either an API key (recognised by its prefix) or a JWT. No credential means anonymous; the authorisation rules
 * then answer 401 on protected paths.
 */
class ApiCredentialConverter implements ServerAuthenticationConverter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return Mono.just(CredentialToken.apiKey(apiKey.trim()));
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = authorization.substring(BEARER.length()).trim();
            return Mono.just(ApiKeys.looksLikeApiKey(value) ? CredentialToken.apiKey(value) : CredentialToken.jwt(value));
        }
        return Mono.empty();
    }
}
