package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/** Issues and verifies the dashboard's access tokens (HS256; {@code sub} = tenant id; no API key inside). */
@Component
public class JwtService {

    private final SecretKey key;
    private final Duration ttl;
    private final Clock clock;

    @Autowired
    public JwtService(@Value("${rag.auth.jwt-secret}") String secret,
                      @Value("${rag.auth.jwt-ttl:PT24H}") Duration ttl) {
        this(secret, ttl, Clock.systemUTC());
    }

    JwtService(String secret, Duration ttl, Clock clock) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("rag.auth.jwt-secret must be at least 32 bytes for HS256");
        }
        this.key = Keys.hmacShaKeyFor(bytes);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** An access token of one login session ({@code sid}): logging out or refresh-token reuse revokes the session. */
    public IssuedToken issue(TenantId tenant, String email, String sessionId) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String tokenId = UUID.randomUUID().toString();
        String token = Jwts.builder()
                .id(tokenId)
                .subject(tenant.toString())
                .claim("email", email)
                .claim("sid", sessionId)
                .issuedAt(Date.from(now))
                .expiration(Date.from(expires))
                .signWith(key, Jwts.SIG.HS256)
                .compact();
        return new IssuedToken(token, tokenId, expires, ttl.toSeconds());
    }

    public Duration ttl() {
        return ttl;
    }

    /** The verified subject and email, or empty for any invalid, unsigned, tampered or expired token. */
    public Optional<VerifiedToken> verify(String token) {
        try {
            Claims claims = Jwts.parser()
                    .verifyWith(key)
                    .clock(() -> Date.from(clock.instant()))
                    .build()
                    .parseSignedClaims(token)
                    .getPayload();
            if (claims.getId() == null || claims.get("sid", String.class) == null) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedToken(TenantId.of(claims.getSubject()), claims.get("email", String.class),
                    claims.getId(), claims.get("sid", String.class), claims.getExpiration().toInstant()));
        } catch (JwtException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public record IssuedToken(String token, String tokenId, Instant expiresAt, long expiresInSeconds) {
    }

    public record VerifiedToken(TenantId tenantId, String email, String tokenId, String sessionId,
                                Instant expiresAt) {
    }
}
