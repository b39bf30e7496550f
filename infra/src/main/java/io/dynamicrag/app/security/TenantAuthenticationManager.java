package io.dynamicrag.app.security;

import io.dynamicrag.command.tenancy.ApiKeys;
import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.command.tenancy.TenantCredentialStore;
import io.dynamicrag.command.tenancy.TenantCredentialStore.Account;
import io.dynamicrag.command.tenancy.auth.AuthSessions;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/**
 * Verifies an API key (by its hash) or a JWT (signature, expiry, not revoked), then checks the account on every
 * request: a suspended account is refused (403) the moment it is suspended, whatever credential it presents.
 */
class TenantAuthenticationManager implements ReactiveAuthenticationManager {

    private final TenantCredentialStore credentials;
    private final JwtService jwt;
    private final AuthSessions sessions;

    TenantAuthenticationManager(TenantCredentialStore credentials, JwtService jwt, AuthSessions sessions) {
        this.credentials = credentials;
        this.jwt = jwt;
        this.sessions = sessions;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        CredentialToken token = (CredentialToken) authentication;
        Mono<AuthenticatedTenant> caller = token.kind() == AuthenticatedTenant.CredentialKind.API_KEY
                ? byApiKey(token.getCredentials())
                : byJwt(token.getCredentials());
        return caller.<Authentication>map(CredentialToken::verified)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException(
                        token.kind() == AuthenticatedTenant.CredentialKind.API_KEY
                                ? "Invalid API key" : "Invalid, expired or revoked token")));
    }

    private Mono<AuthenticatedTenant> byApiKey(String key) {
        return account(() -> credentials.findByApiKeyHash(ApiKeys.hash(key)))
                .map(account -> AuthenticatedTenant.byApiKey(account.tenantId(), account.email(), isAdmin(account)));
    }

    private Mono<AuthenticatedTenant> byJwt(String token) {
        return Mono.justOrEmpty(jwt.verify(token))
                .filterWhen(verified -> sessions.isRevoked(verified.sessionId(), verified.tokenId()).map(r -> !r)
                        // fail closed: a token whose revocation cannot be checked (Redis down) is not accepted,
                        // and the caller is told to retry (503), not that its token is bad (401)
                        .onErrorMap(e -> !(e instanceof AuthenticationException),
                                e -> new SessionStoreUnavailableException(e)))
                .flatMap(verified -> account(() -> credentials.findByTenant(verified.tenantId()))
                        .map(account -> AuthenticatedTenant.byJwt(account.tenantId(), account.email(),
                                isAdmin(account), verified.sessionId(), verified.tokenId())));
    }

    private Mono<Account> account(java.util.function.Supplier<Optional<Account>> lookup) {
        return Mono.fromCallable(() -> lookup.get().orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(account -> account.suspended()
                        ? Mono.error(new DisabledException("This account is suspended; contact support"))
                        : Mono.just(account));
    }

    /** The session store could not say whether a JWT is revoked: answered 503 with Retry-After. */
    static final class SessionStoreUnavailableException extends AuthenticationServiceException {

        SessionStoreUnavailableException(Throwable cause) {
            super("Sign-in sessions cannot be checked right now (the session store is unavailable); retry shortly, "
                    + "or use an API key", cause);
        }
    }

    private static boolean isAdmin(Account account) {
        return account.role() == TenantCredentialStore.Role.ADMIN;
    }
}
