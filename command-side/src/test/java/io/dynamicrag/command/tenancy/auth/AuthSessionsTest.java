package io.dynamicrag.command.tenancy.auth;

import io.dynamicrag.command.tenancy.JwtService;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthSessionsTest {

    private final JwtService jwt = new JwtService("a-test-secret-that-is-long-enough-for-hs256!!", Duration.ofHours(24));
    private final AuthSessions sessions = new AuthSessions(jwt, new InMemorySessionStore(Clock.systemUTC()),
            Duration.ofDays(30));
    private final TenantId tenant = TenantId.random();

    @Test
    void shouldRotateRefreshTokens() {
        AuthSessions.TokenPair first = sessions.open(tenant, "a@example.com").block();
        AuthSessions.TokenPair second = sessions.refresh(first.refreshToken()).block();

        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.expiresIn()).isEqualTo(86_400);
        JwtService.VerifiedToken a = jwt.verify(first.token()).orElseThrow();
        JwtService.VerifiedToken b = jwt.verify(second.token()).orElseThrow();
        assertThat(b.sessionId()).isEqualTo(a.sessionId());
        assertThat(b.tenantId()).isEqualTo(tenant);
    }

    @Test
    void shouldRevokeTheWholeSessionWhenARefreshTokenIsReused() {
        AuthSessions.TokenPair first = sessions.open(tenant, "a@example.com").block();
        AuthSessions.TokenPair second = sessions.refresh(first.refreshToken()).block();

        assertThatThrownBy(() -> sessions.refresh(first.refreshToken()).block())
                .isInstanceOf(InvalidSessionException.class).hasMessageContaining("already used");
        // the legitimate holder's newer tokens are revoked too: the thief and the victim must both log in again
        assertThatThrownBy(() -> sessions.refresh(second.refreshToken()).block())
                .isInstanceOf(InvalidSessionException.class);
        JwtService.VerifiedToken access = jwt.verify(second.token()).orElseThrow();
        assertThat(sessions.isRevoked(access.sessionId(), access.tokenId()).block()).isTrue();
    }

    @Test
    void shouldEndTheSessionOnLogout() {
        AuthSessions.TokenPair pair = sessions.open(tenant, "a@example.com").block();
        JwtService.VerifiedToken access = jwt.verify(pair.token()).orElseThrow();
        assertThat(sessions.isRevoked(access.sessionId(), access.tokenId()).block()).isFalse();

        sessions.close(access.sessionId(), access.tokenId()).block();

        assertThat(sessions.isRevoked(access.sessionId(), access.tokenId()).block()).isTrue();
        assertThatThrownBy(() -> sessions.refresh(pair.refreshToken()).block())
                .isInstanceOf(InvalidSessionException.class);
    }

    @Test
    void shouldRejectUnknownRefreshTokens() {
        assertThatThrownBy(() -> sessions.refresh("drt_unknown").block()).isInstanceOf(InvalidSessionException.class);
        assertThatThrownBy(() -> sessions.refresh("garbage").block()).isInstanceOf(InvalidSessionException.class);
        assertThatThrownBy(() -> sessions.refresh(null).block()).isInstanceOf(InvalidSessionException.class);
    }

    @Test
    void otherSessionsOfTheSameTenantSurviveALogout() {
        AuthSessions.TokenPair laptop = sessions.open(tenant, "a@example.com").block();
        AuthSessions.TokenPair phone = sessions.open(tenant, "a@example.com").block();
        JwtService.VerifiedToken laptopAccess = jwt.verify(laptop.token()).orElseThrow();
        sessions.close(laptopAccess.sessionId(), laptopAccess.tokenId()).block();

        assertThat(sessions.refresh(phone.refreshToken()).block()).isNotNull();
    }
}
