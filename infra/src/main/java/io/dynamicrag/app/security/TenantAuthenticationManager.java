package io.dynamicrag.app.security;

import io.dynamicrag.command.tenancy.ApiKeys;
import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.command.tenancy.TenantCredentialStore;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Verifies an API key (by its hash) or a JWT (signature, expiry) and checks the tenant still exists. */
class TenantAuthenticationManager implements ReactiveAuthenticationManager {

    private final TenantCredentialStore credentials;
    private final JwtService jwt;

    TenantAuthenticationManager(TenantCredentialStore credentials, JwtService jwt) {
        this.credentials = credentials;
        this.jwt = jwt;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        CredentialToken token = (CredentialToken) authentication;
        return Mono.fromCallable(() -> verify(token))
                .subscribeOn(Schedulers.boundedElastic())
                .<Authentication>map(CredentialToken::verified)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException(
                        token.kind() == AuthenticatedTenant.CredentialKind.API_KEY
                                ? "Invalid API key" : "Invalid or expired token")));
    }

    private AuthenticatedTenant verify(CredentialToken token) {
        String credential = token.getCredentials();
        if (token.kind() == AuthenticatedTenant.CredentialKind.API_KEY) {
            return credentials.findByApiKeyHash(ApiKeys.hash(credential))
                    .map(owner -> new AuthenticatedTenant(owner.tenantId(), owner.email(),
                            AuthenticatedTenant.CredentialKind.API_KEY))
                    .orElse(null);
        }
        return jwt.verify(credential)
                .filter(verified -> credentials.exists(verified.tenantId()))
                .map(verified -> new AuthenticatedTenant(verified.tenantId(), verified.email(),
                        AuthenticatedTenant.CredentialKind.JWT))
                .orElse(null);
    }
}
