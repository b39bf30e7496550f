package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's refresh token lives in an HttpOnly cookie: opted into with the X-Refresh-Cookie header, which is
 * also what makes the cookie usable at all (a cross-site form cannot send it). API clients keep the body tokens.
 */
class AuthCookieIntegrationTest extends IntegrationTest {

    private static final String HEADER = "X-Refresh-Cookie";
    private static final String COOKIE = "drag_refresh";
    /** rag.auth.refresh-ttl defaults to 30 days. */
    private static final long REFRESH_TTL_SECONDS = 30L * 24 * 3600;

    @Test
    void loginAndSignupWithTheHeaderSetTheHttpOnlyCookieAndKeepTheRefreshTokenOutOfTheBody() {
        Tenant tenant = signUp();
        EntityExchangeResult<JsonNode> login = loginWithCookie(tenant.email(), null);
        String setCookie = onlySetCookie(login);
        assertThat(setCookie).matches(COOKIE + "=drt_[A-Za-z0-9_-]{43};.*")
                .containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/api/auth")
                .contains("Max-Age=" + REFRESH_TTL_SECONDS)
                .doesNotContain("Secure");
        JsonNode body = login.getResponseBody();
        assertThat(body.has("refresh_token")).as("body %s", body).isFalse();
        assertThat(body.get("token").asText()).isNotBlank();
        assertThat(body.get("expires_in").asLong()).isEqualTo(86_400);
        me(body.get("token").asText(), HttpStatus.OK);

        // behind a TLS-terminating proxy the cookie is Secure
        assertThat(onlySetCookie(loginWithCookie(tenant.email(), "https"))).contains("Secure");

        // sign-up: the same, next to the API key shown once
        EntityExchangeResult<JsonNode> signup = http.post().uri("/api/auth/signup").header(HEADER, "1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "cookie-" + UUID.randomUUID() + "@example.com", "password", PASSWORD,
                        "company_name", "Acme"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult();
        assertThat(onlySetCookie(signup)).startsWith(COOKIE + "=drt_").containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/api/auth");
        assertThat(signup.getResponseBody().has("refresh_token")).isFalse();
        assertThat(signup.getResponseBody().get("api_key").asText()).startsWith("drag_");
        me(signup.getResponseBody().get("token").asText(), HttpStatus.OK);
    }

    @Test
    void theCookieRefreshesOnceAndItsReuseRevokesTheSession() {
        Tenant tenant = signUp();
        EntityExchangeResult<JsonNode> login = loginWithCookie(tenant.email(), null);
        String first = cookieValue(login);

        EntityExchangeResult<JsonNode> refreshed = refreshWithCookie(first).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
        JsonNode body = refreshed.getResponseBody();
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.get("expires_in").asLong()).isEqualTo(86_400);
        String newToken = body.get("token").asText();
        me(newToken, HttpStatus.OK);
        String second = cookieValue(refreshed);
        assertThat(second).startsWith("drt_").isNotEqualTo(first);
        assertThat(onlySetCookie(refreshed)).containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/api/auth").contains("Max-Age=" + REFRESH_TTL_SECONDS);

        // the used cookie again: refused, the cookie cleared, and the whole session revoked
        EntityExchangeResult<JsonNode> reused = refreshWithCookie(first).expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult();
        assertThat(reused.getResponseBody().get("detail").asText()).contains("already used");
        assertCleared(reused);
        refreshWithCookie(second).expectStatus().isUnauthorized();
        me(newToken, HttpStatus.UNAUTHORIZED);
        me(login.getResponseBody().get("token").asText(), HttpStatus.UNAUTHORIZED);
    }

    @Test
    void withoutTheHeaderNoCookieIsSetAndTheBodyCarriesTheRefreshToken() {
        String email = "plain-" + UUID.randomUUID() + "@example.com";
        EntityExchangeResult<JsonNode> signup = http.post().uri("/api/auth/signup")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD, "company_name", "Acme"))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult();
        assertThat(signup.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
        assertThat(signup.getResponseBody().get("refresh_token").asText()).startsWith("drt_");

        EntityExchangeResult<JsonNode> login = http.post().uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
        assertThat(login.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
        String refreshToken = login.getResponseBody().get("refresh_token").asText();
        assertThat(refreshToken).startsWith("drt_");

        EntityExchangeResult<JsonNode> refreshed = http.post().uri("/api/auth/refresh")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", refreshToken))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
        assertThat(refreshed.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
        assertThat(refreshed.getResponseBody().get("refresh_token").asText()).startsWith("drt_")
                .isNotEqualTo(refreshToken);

        // a well-formed token that was never issued is a 401, not a server error
        http.post().uri("/api/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", "drt_" + "B".repeat(43)))
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
    }

    @Test
    void theCookieAloneNeverRefreshes() {
        Tenant tenant = signUp();
        String cookie = cookieValue(loginWithCookie(tenant.email(), null));

        // what a cross-site form post could do: the cookie, but no custom header (with or without a body)
        EntityExchangeResult<JsonNode> bare = http.post().uri("/api/auth/refresh").cookie(COOKIE, cookie)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult();
        assertThat(bare.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
        http.post().uri("/api/auth/refresh").cookie(COOKIE, cookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("refresh_token=")
                .exchange().expectStatus().is4xxClientError()
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);
        http.post().uri("/api/auth/refresh").cookie(COOKIE, cookie)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE);

        // none of that used the token up: with the header it still refreshes
        refreshWithCookie(cookie).expectStatus().isOk();
    }

    @Test
    void aMissingOrBadCookieIs401AndClearsTheCookie() {
        EntityExchangeResult<JsonNode> none = http.post().uri("/api/auth/refresh").header(HEADER, "1")
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult();
        assertThat(none.getResponseBody().get("detail").asText()).isNotBlank();
        assertCleared(none);

        for (String bad : List.of("not-a-token", "drt_" + "A".repeat(43))) {
            EntityExchangeResult<JsonNode> result = refreshWithCookie(bad).expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult();
            assertCleared(result);
        }
    }

    @Test
    void logoutClearsTheCookieAndEndsTheSession() {
        Tenant tenant = signUp();
        EntityExchangeResult<JsonNode> login = loginWithCookie(tenant.email(), null);
        String token = login.getResponseBody().get("token").asText();
        String cookie = cookieValue(login);

        EntityExchangeResult<byte[]> logout = http.post().uri("/api/auth/logout")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).cookie(COOKIE, cookie)
                .exchange().expectStatus().isNoContent()
                .expectBody().returnResult();
        List<String> setCookies = logout.getResponseHeaders().get(HttpHeaders.SET_COOKIE);
        assertThat(setCookies).hasSize(1);
        assertThat(setCookies.get(0)).startsWith(COOKIE + "=;").contains("Max-Age=0").contains("Path=/api/auth")
                .containsIgnoringCase("HttpOnly");

        me(token, HttpStatus.UNAUTHORIZED);
        refreshWithCookie(cookie).expectStatus().isUnauthorized();
    }

    private EntityExchangeResult<JsonNode> loginWithCookie(String email, String forwardedProto) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/auth/login").header(HEADER, "1")
                .contentType(MediaType.APPLICATION_JSON);
        if (forwardedProto != null) {
            request = request.header("X-Forwarded-Proto", forwardedProto);
        }
        return request.bodyValue(Map.of("email", email, "password", PASSWORD))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult();
    }

    private WebTestClient.ResponseSpec refreshWithCookie(String cookie) {
        return http.post().uri("/api/auth/refresh").header(HEADER, "1").cookie(COOKIE, cookie).exchange();
    }

    private static String onlySetCookie(EntityExchangeResult<?> result) {
        List<String> setCookies = result.getResponseHeaders().get(HttpHeaders.SET_COOKIE);
        assertThat(setCookies).as("Set-Cookie").hasSize(1);
        return setCookies.get(0);
    }

    private static String cookieValue(EntityExchangeResult<?> result) {
        String setCookie = onlySetCookie(result);
        assertThat(setCookie).startsWith(COOKIE + "=");
        return setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
    }

    private static void assertCleared(EntityExchangeResult<?> result) {
        assertThat(onlySetCookie(result)).startsWith(COOKIE + "=;").contains("Max-Age=0")
                .contains("Path=/api/auth").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    }

    private void me(String token, HttpStatus expected) {
        http.get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(expected);
    }
}
