package io.dynamicrag.command.tenancy.auth;

import io.dynamicrag.command.tenancy.ApiKeys;
import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Login sessions: a short-lived JWT plus a rotating refresh token. Each refresh token can be used once; using one a
 * second time means it was stolen, so the whole session (every token issued from that login) is revoked.
 */
@Component
public class AuthSessions {

    private static final String REFRESH_PREFIX = "drt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JwtService jwt;
    private final SessionStore store;
    private final Duration refreshTtl;

    public AuthSessions(JwtService jwt, SessionStore store,
                        @Value("${rag.auth.refresh-ttl:P30D}") Duration refreshTtl) {
        this.jwt = jwt;
        this.store = store;
        this.refreshTtl = refreshTtl;
    }

    /** Starts a new session (sign-up or login). */
    public Mono<TokenPair> open(TenantId tenant, String email) {
        return issue(UUID.randomUUID().toString(), tenant, email);
    }

    /**
     * Starts a new session with an access token only, for when the refresh token cannot be stored (the session
     * store is unreachable): the access token needs nothing stored to be valid, so a sign-up still hands over its
     * one-time API key and a token instead of failing after the account was made.
     */
    public TokenPair openWithoutRefresh(TenantId tenant, String email) {
        JwtService.IssuedToken access = jwt.issue(tenant, email, UUID.randomUUID().toString());
        return new TokenPair(access.token(), null, access.expiresInSeconds());
    }

    /** Exchanges a refresh token for a new pair; fails with {@link InvalidSessionException} otherwise. */
    public Mono<TokenPair> refresh(String refreshToken) {
        if (refreshToken == null || !refreshToken.startsWith(REFRESH_PREFIX)) {
            return Mono.error(new InvalidSessionException("Invalid refresh token"));
        }
        return store.consumeRefreshToken(ApiKeys.hash(refreshToken)).flatMap(consumption -> switch (consumption.state()) {
            case UNKNOWN -> Mono.error(new InvalidSessionException("Invalid or expired refresh token"));
            case REUSED -> store.revokeSession(consumption.record().sessionId(), refreshTtl)
                    .then(Mono.error(new InvalidSessionException(
                            "Refresh token already used: the session has been revoked, please log in again")));
            case FRESH -> store.isSessionRevoked(consumption.record().sessionId()).flatMap(revoked -> revoked
                    ? Mono.error(new InvalidSessionException("The session has been revoked, please log in again"))
                    : issue(consumption.record().sessionId(), TenantId.of(consumption.record().tenantId()),
                    consumption.record().email()));
        });
    }

    /** Ends the session: its access token and every refresh token of it stop working on every node. */
    public Mono<Void> close(String sessionId, String accessTokenId) {
        return store.revokeSession(sessionId, refreshTtl)
                .then(store.revokeAccessToken(accessTokenId, jwt.ttl()));
    }

    public Mono<Boolean> isRevoked(String sessionId, String accessTokenId) {
        return Mono.zip(store.isSessionRevoked(sessionId), store.isAccessTokenRevoked(accessTokenId))
                .map(both -> both.getT1() || both.getT2());
    }

    /** How long a refresh token (and so the dashboard's refresh cookie) stays valid. */
    public Duration refreshTtl() {
        return refreshTtl;
    }

    private Mono<TokenPair> issue(String sessionId, TenantId tenant, String email) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String refreshToken = REFRESH_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        JwtService.IssuedToken access = jwt.issue(tenant, email, sessionId);
        return store.saveRefreshToken(ApiKeys.hash(refreshToken),
                        new SessionStore.RefreshTokenRecord(sessionId, tenant.toString(), email), refreshTtl)
                .thenReturn(new TokenPair(access.token(), refreshToken, access.expiresInSeconds()));
    }

    public record TokenPair(String token, String refreshToken, long expiresIn) {

        /** The answer when the refresh token travels in the cookie instead of the body. */
        public AccessToken withoutRefreshToken() {
            return new AccessToken(token, expiresIn);
        }
    }

    /** {@code {token, expires_in}}: what a cookie-mode client reads from the body. */
    public record AccessToken(String token, long expiresIn) {
    }
}
