package io.dynamicrag.command.tenancy.auth;

import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import java.time.Duration;
import java.util.Optional;

/**
 * The dashboard's refresh token travels in an HttpOnly cookie that no script can read, scoped to /api/auth and
 * SameSite=Strict. A client opts in with the {@value #HEADER} header on login, sign-up and refresh; the header is
 * also the CSRF guard: a cross-site form cannot send a custom header, so the cookie alone never refreshes anything.
 */
@Component
public class RefreshCookies {

    /** Sent by the dashboard on login, sign-up and refresh: "keep my refresh token in the cookie". */
    public static final String HEADER = "X-Refresh-Cookie";
    public static final String NAME = "drag_refresh";
    static final String PATH = "/api/auth";

    private final AuthSessions sessions;

    public RefreshCookies(AuthSessions sessions) {
        this.sessions = sessions;
    }

    /** True when the client asked for the cookie instead of a refresh token in the body. */
    public boolean requested(ServerWebExchange exchange) {
        return exchange.getRequest().getHeaders().containsKey(HEADER);
    }

    /** Sets the cookie to this refresh token, for as long as the token lives. */
    public void set(ServerWebExchange exchange, String refreshToken) {
        exchange.getResponse().addCookie(cookie(exchange, refreshToken, sessions.refreshTtl()));
    }

    /** Tells the browser to drop the cookie. */
    public void clear(ServerWebExchange exchange) {
        exchange.getResponse().addCookie(cookie(exchange, "", Duration.ZERO));
    }

    Optional<String> read(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getRequest().getCookies().getFirst(NAME))
                .map(cookie -> cookie.getValue())
                .filter(value -> !value.isBlank());
    }

    private static ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
        return ResponseCookie.from(NAME, value)
                .httpOnly(true)
                .sameSite("Strict")
                .path(PATH)
                .maxAge(maxAge)
                .secure(overHttps(exchange.getRequest()))
                .build();
    }

    /** Directly over TLS, or behind a proxy that terminated it and said so. */
    private static boolean overHttps(ServerHttpRequest request) {
        if (request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme())) {
            return true;
        }
        String forwardedProto = request.getHeaders().getFirst("X-Forwarded-Proto");
        if (forwardedProto != null && "https".equalsIgnoreCase(forwardedProto.split(",")[0].trim())) {
            return true;
        }
        String forwarded = request.getHeaders().getFirst("Forwarded");
        return forwarded != null && forwarded.split(",")[0].toLowerCase(java.util.Locale.ROOT)
                .matches(".*(^|;)\\s*proto=\"?https\"?\\s*(;|$).*");
    }
}
