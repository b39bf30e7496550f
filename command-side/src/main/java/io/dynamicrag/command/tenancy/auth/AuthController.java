package io.dynamicrag.command.tenancy.auth;

import io.dynamicrag.command.tenancy.TenantCredentialStore;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/** Dashboard sessions: login, refresh (rotating), logout. Sign-up is in SignupController; /me on the query side. */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final TenantCredentialStore credentials;
    private final PasswordEncoder passwords;
    private final AuthSessions sessions;
    private final LoginAttempts attempts;
    private final RefreshCookies cookies;
    /** Compared against when the email is unknown, so a miss costs the same time as a wrong password. */
    private final String dummyHash;

    AuthController(TenantCredentialStore credentials, PasswordEncoder passwords, AuthSessions sessions,
                   LoginAttempts attempts, RefreshCookies cookies) {
        this.credentials = credentials;
        this.passwords = passwords;
        this.sessions = sessions;
        this.attempts = attempts;
        this.cookies = cookies;
        this.dummyHash = passwords.encode("not-a-real-password");
    }

    /**
     * {@code {token, refresh_token, expires_in}}; with the {@value RefreshCookies#HEADER} header the refresh token
     * goes into the HttpOnly cookie instead and the body is {@code {token, expires_in}}.
     */
    @PostMapping("/login")
    Mono<Object> login(@Valid @RequestBody LoginRequest request, ServerWebExchange exchange) {
        String email = request.email().trim().toLowerCase(Locale.ROOT);
        return attempts.tryAttempt(email, clientAddress(exchange))
                .flatMap(verdict -> verdict.allowed()
                        ? Mono.fromCallable(() -> verify(email, request.password()))
                                .subscribeOn(Schedulers.boundedElastic())
                        : Mono.error(new TooManyLoginAttemptsException(verdict.retryAfterSeconds())))
                .flatMap(account -> sessions.open(account.tenantId(), account.email()))
                .map(tokens -> answer(tokens, exchange));
    }

    /** API clients (n8n, curl): the refresh token in the body, a new pair back in the body. */
    @PostMapping("/refresh")
    Mono<AuthSessions.TokenPair> refresh(@Valid @RequestBody RefreshRequest request) {
        return sessions.refresh(request.refreshToken());
    }

    /**
     * The dashboard: the refresh token comes from the cookie (any body is ignored) and the rotated one goes back
     * into it. Only this mapping reads the cookie, and it needs the custom header a cross-site form cannot send.
     */
    @PostMapping(path = "/refresh", headers = RefreshCookies.HEADER)
    Mono<AuthSessions.AccessToken> refreshFromCookie(ServerWebExchange exchange) {
        return Mono.justOrEmpty(cookies.read(exchange))
                .switchIfEmpty(Mono.error(() -> new InvalidSessionException(
                        "No refresh cookie: please log in again")))
                .flatMap(sessions::refresh)
                .doOnError(InvalidSessionException.class, e -> cookies.clear(exchange))
                .map(tokens -> {
                    cookies.set(exchange, tokens.refreshToken());
                    return tokens.withoutRefreshToken();
                });
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> logout(@AuthenticationPrincipal AuthenticatedTenant caller, ServerWebExchange exchange) {
        // the browser drops the refresh cookie whatever happens next; the session's tokens are revoked below
        cookies.clear(exchange);
        if (caller.sessionId() == null) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Logout ends a dashboard session: call it with the JWT (Authorization: Bearer <token>), "
                            + "not with an API key"));
        }
        return sessions.close(caller.sessionId(), caller.tokenId());
    }

    private Object answer(AuthSessions.TokenPair tokens, ServerWebExchange exchange) {
        if (!cookies.requested(exchange)) {
            return tokens;
        }
        cookies.set(exchange, tokens.refreshToken());
        return tokens.withoutRefreshToken();
    }

    private TenantCredentialStore.Account verify(String email, String password) {
        Optional<TenantCredentialStore.Account> account = credentials.findByEmail(email);
        boolean matches = passwords.matches(password,
                account.map(TenantCredentialStore.Account::passwordHash).orElse(dummyHash));
        if (account.isEmpty() || !matches) {
            throw new InvalidSessionException("Invalid email or password");
        }
        if (account.get().suspended()) {
            throw new AccountSuspendedException();
        }
        return account.get();
    }

    private static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    record LoginRequest(@NotBlank @Size(max = 255) String email, @NotBlank @Size(max = 200) String password) {
    }

    record RefreshRequest(@NotBlank @com.fasterxml.jackson.annotation.JsonProperty("refresh_token")
                          String refreshToken) {
    }
}
