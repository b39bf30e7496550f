package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions, API keys, profile, configuration, suspension and CORS, through the HTTP API on real services. */
class AccessIntegrationTest extends IntegrationTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Value("${rag.auth.jwt-secret}")
    private String jwtSecret;

    @Test
    void loginRefreshRotatesAndReuseRevokesTheSession() {
        Tenant tenant = signUp();
        JsonNode first = login(tenant.email(), PASSWORD);
        assertThat(first.get("expires_in").asLong()).isEqualTo(86_400);
        assertThat(first.get("refresh_token").asText()).startsWith("drt_");
        me(first.get("token").asText(), HttpStatus.OK);

        JsonNode second = refresh(first.get("refresh_token").asText(), HttpStatus.OK);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
        me(second.get("token").asText(), HttpStatus.OK);

        // replaying the used refresh token revokes the whole session, including the newest tokens
        refresh(first.get("refresh_token").asText(), HttpStatus.UNAUTHORIZED);
        refresh(second.get("refresh_token").asText(), HttpStatus.UNAUTHORIZED);
        me(second.get("token").asText(), HttpStatus.UNAUTHORIZED);
        me(first.get("token").asText(), HttpStatus.UNAUTHORIZED);
        // the API key is not a session and keeps working
        http.get().uri("/api/auth/me").header("X-API-Key", tenant.apiKey()).exchange().expectStatus().isOk();
    }

    @Test
    void logoutStopsTheAccessAndRefreshTokenAtOnce() {
        Tenant tenant = signUp();
        JsonNode session = login(tenant.email(), PASSWORD);
        JsonNode other = login(tenant.email(), PASSWORD);
        String token = session.get("token").asText();

        http.post().uri("/api/auth/logout").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isNoContent();

        me(token, HttpStatus.UNAUTHORIZED);
        refresh(session.get("refresh_token").asText(), HttpStatus.UNAUTHORIZED);
        // another login of the same account is another session
        me(other.get("token").asText(), HttpStatus.OK);
        // logging out with an API key makes no sense and says so
        http.post().uri("/api/auth/logout").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void meShowsTheCallersAccountAndNoSecret() {
        Tenant tenant = signUp();
        JsonNode me = me(tenant.token(), HttpStatus.OK);
        assertThat(me.get("customer_id").asText()).isEqualTo(tenant.id());
        assertThat(me.get("email").asText()).isEqualTo(tenant.email());
        assertThat(me.get("company_name").asText()).isEqualTo("Acme");
        assertThat(me.get("status").asText()).isEqualTo("active");
        assertThat(me.get("role").asText()).isEqualTo("tenant");
        assertThat(me.get("authenticated_with").asText()).isEqualTo("jwt");
        assertThat(me.toString()).doesNotContain(tenant.apiKey()).doesNotContain("password");
    }

    @Test
    void wrongCredentialsAndForgedTokensAre401() {
        Tenant tenant = signUp();
        for (Map<String, String> body : List.of(
                Map.of("email", tenant.email(), "password", "wrong-password"),
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", PASSWORD))) {
            http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").isEqualTo("Invalid email or password");
        }
        String expired = signedToken(tenant.id(), Instant.now().minusSeconds(7200), Instant.now().minusSeconds(60),
                jwtSecret);
        String wrongKey = signedToken(tenant.id(), Instant.now(), Instant.now().plusSeconds(600),
                "another-secret-that-is-long-enough-0123456789");
        String noSession = Jwts.builder().id(UUID.randomUUID().toString()).subject(tenant.id())
                .issuedAt(new Date()).expiration(Date.from(Instant.now().plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor(jwtSecret.getBytes(StandardCharsets.UTF_8))).compact();
        String[] parts = tenant.token().split("\\.");
        String algNone = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace(tenant.id(),
                        UUID.randomUUID().toString()).getBytes()) + "." + parts[2];
        for (String token : List.of(expired, wrongKey, noSession, algNone, tampered)) {
            me(token, HttpStatus.UNAUTHORIZED);
        }
        // the genuine one still works
        me(signedToken(tenant.id(), Instant.now(), Instant.now().plusSeconds(600), jwtSecret, "a-session"),
                HttpStatus.OK);
    }

    @Test
    void regeneratingTheApiKeyStopsTheOldOneImmediately() {
        Tenant tenant = signUp();
        JsonNode rotated = http.post().uri("/api/customers/api-key").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        String newKey = rotated.get("api_key").asText();
        assertThat(newKey).startsWith("drag_").isNotEqualTo(tenant.apiKey());
        assertThat(newKey).startsWith(rotated.get("api_key_prefix").asText());

        http.get().uri("/api/documents").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/documents").header("X-API-Key", newKey).exchange().expectStatus().isOk();
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + newKey).exchange()
                .expectStatus().isOk();
        // the stored form is a hash, and the event is not the key
        assertThat(jdbc.queryForObject("SELECT api_key_hash FROM tenant_credentials WHERE tenant_id = ?::uuid",
                String.class, tenant.id())).hasSize(64).isNotEqualTo(newKey);
        assertThat(eventsOf(tenant.id())).doesNotContain(newKey);
    }

    @Test
    void profileCanBeReadAndChanged() {
        Tenant tenant = signUp();
        Tenant other = signUp();
        JsonNode updated = put(tenant, "/api/customers/profile", Map.of("company_name", "Acme Ltd"), HttpStatus.OK);
        assertThat(updated.get("company_name").asText()).isEqualTo("Acme Ltd");
        JsonNode profile = get(tenant, "/api/customers/profile");
        assertThat(profile.get("company_name").asText()).isEqualTo("Acme Ltd");
        assertThat(profile.get("email").asText()).isEqualTo(tenant.email());

        put(tenant, "/api/customers/profile", Map.of("email", other.email()), HttpStatus.CONFLICT);
        put(tenant, "/api/customers/profile", Map.of("email", "not-an-email"), HttpStatus.BAD_REQUEST);

        String newEmail = "renamed-" + UUID.randomUUID() + "@example.com";
        put(tenant, "/api/customers/profile", Map.of("email", newEmail), HttpStatus.OK);
        assertThat(login(newEmail, PASSWORD).get("token").asText()).isNotBlank();
    }

    @Test
    void configurationIsValidatedAppliedAndKeepsTheOpenAiKeyEncrypted() {
        Tenant tenant = signUp();
        JsonNode defaults = get(tenant, "/api/customers/config");
        assertThat(defaults.get("rate_limit_requests_per_minute").asInt()).isEqualTo(60);
        assertThat(defaults.get("rate_limit_requests_per_day").asInt()).isEqualTo(10_000);
        assertThat(defaults.get("max_documents").asInt()).isEqualTo(10_000);
        assertThat(defaults.get("max_file_size_mb").asInt()).isEqualTo(50);
        assertThat(defaults.get("chunking_size").asInt()).isEqualTo(1000);
        assertThat(defaults.get("chunking_overlap").asInt()).isEqualTo(200);
        assertThat(defaults.get("embedding_model").asText()).isEqualTo("all-minilm-l6-v2");
        assertThat(defaults.get("allowed_document_types").toString()).isEqualTo("[\"pdf\",\"txt\",\"html\",\"md\"]");
        assertThat(defaults.get("openai_api_key").isNull()).isTrue();

        String openAiKey = "sk-proj-" + UUID.randomUUID().toString().replace("-", "") + "WXYZ";
        Map<String, Object> change = new HashMap<>();
        change.put("chunking_size", 600);
        change.put("chunking_overlap", 60);
        change.put("allowed_document_types", List.of("txt", "MD", "docx"));
        change.put("rate_limit_requests_per_minute", 120);
        change.put("openai_api_key", openAiKey);
        JsonNode changed = put(tenant, "/api/customers/config", change, HttpStatus.OK);
        assertThat(changed.get("chunking_size").asInt()).isEqualTo(600);
        assertThat(changed.get("allowed_document_types").toString()).isEqualTo("[\"txt\",\"md\",\"docx\"]");
        assertThat(changed.get("openai_api_key").asText()).isEqualTo("sk-…WXYZ");
        assertThat(changed.get("max_documents").asInt()).isEqualTo(10_000);

        JsonNode read = get(tenant, "/api/customers/config");
        assertThat(read.get("chunking_size").asInt()).isEqualTo(600);
        assertThat(read.get("chunking_overlap").asInt()).isEqualTo(60);
        assertThat(read.get("rate_limit_requests_per_minute").asInt()).isEqualTo(120);
        assertThat(read.get("openai_api_key").asText()).isEqualTo("sk-…WXYZ");
        assertThat(read.toString()).doesNotContain(openAiKey);

        String stored = jdbc.queryForObject(
                "SELECT openai_key_ciphertext FROM tenant_credentials WHERE tenant_id = ?::uuid", String.class,
                tenant.id());
        assertThat(stored).startsWith("v1:").doesNotContain(openAiKey).doesNotContain("WXYZ");
        assertThat(eventsOf(tenant.id())).doesNotContain(openAiKey).doesNotContain(stored);

        JsonNode invalid = put(tenant, "/api/customers/config", Map.of("chunking_overlap", 600,
                "max_file_size_mb", 0, "embedding_model", "gpt-9", "allowed_document_types", List.of("exe")),
                HttpStatus.BAD_REQUEST);
        assertThat(invalid.get("detail").asText()).contains("chunking_overlap").contains("max_file_size_mb")
                .contains("embedding_model").contains("'exe'");
        put(tenant, "/api/customers/config", Map.of("chunking_size", "big"), HttpStatus.BAD_REQUEST);
        put(tenant, "/api/customers/config", Map.of("openai_api_key", "x"), HttpStatus.BAD_REQUEST);
        // nothing of a rejected change was applied
        assertThat(get(tenant, "/api/customers/config").get("chunking_overlap").asInt()).isEqualTo(60);

        JsonNode cleared = put(tenant, "/api/customers/config", Map.of("openai_api_key", ""), HttpStatus.OK);
        assertThat(cleared.get("openai_api_key").isNull()).isTrue();
        assertThat(get(tenant, "/api/customers/config").get("openai_api_key").isNull()).isTrue();
    }

    @Test
    void aSuspendedTenantIsRefusedAtOnceAndKeepsItsData() {
        Tenant tenant = signUp();
        String doc = ingest(tenant, Map.of("title", "Kept", "content", "Data that must survive a suspension.",
                "doc_type", "txt")).get("document_id").asText();
        awaitFinalStatus(tenant, doc);
        JsonNode session = login(tenant.email(), PASSWORD);
        String admin = adminToken();

        http.post().uri("/api/admin/customers/{id}/suspend", tenant.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("reason", "unpaid invoice")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("suspended");

        http.get().uri("/api/documents").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("suspended"));
        me(session.get("token").asText(), HttpStatus.FORBIDDEN);
        http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", tenant.email(), "password", PASSWORD)).exchange()
                .expectStatus().isForbidden();

        http.post().uri("/api/admin/customers/{id}/unsuspend", tenant.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("active");
        http.get().uri("/api/documents/{id}", doc).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.title").isEqualTo("Kept");
        me(session.get("token").asText(), HttpStatus.OK);
    }

    @Test
    void onlyAdminsReachAdminEndpoints() {
        Tenant tenant = signUp();
        Tenant victim = signUp();
        http.post().uri("/api/admin/customers/{id}/suspend", victim.id()).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isForbidden();
        http.post().uri("/api/admin/customers/{id}/suspend", victim.id())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tenant.token()).exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/admin/customers/{id}/suspend", victim.id()).exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/documents").header("X-API-Key", victim.apiKey()).exchange().expectStatus().isOk();

        String admin = adminToken();
        http.post().uri("/api/admin/customers/{id}/suspend", UUID.randomUUID())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange().expectStatus().isNotFound();
        http.post().uri("/api/admin/customers/not-an-id/suspend")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange().expectStatus().isNotFound();
        assertThat(me(admin, HttpStatus.OK).get("role").asText()).isEqualTo("admin");
    }

    @Test
    void loginIsThrottledPerEmail() {
        Tenant tenant = signUp();
        for (int i = 0; i < 10; i++) {
            http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", tenant.email(), "password", "guess-" + i)).exchange()
                    .expectStatus().isUnauthorized();
        }
        // the 11th attempt is refused before the password is even checked, even the right one
        http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", tenant.email(), "password", PASSWORD)).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // other accounts are not affected
        login(signUp().email(), PASSWORD);
    }

    @Test
    void corsAllowsOnlyTheConfiguredOrigins() {
        http.options().uri("/api/documents")
                .header(HttpHeaders.ORIGIN, ALLOWED_ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "X-API-Key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ALLOWED_ORIGIN);
        http.options().uri("/api/documents")
                .header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void tenantBNeverSeesTenantAData() {
        Tenant a = signUp();
        Tenant b = signUp();
        String docA = ingest(a, Map.of("title", "Secret plan of A", "content",
                "Project Nightingale launches in March with a budget of 4.2 million.", "doc_type", "txt"))
                .get("document_id").asText();
        awaitFinalStatus(a, docA);
        put(a, "/api/customers/config", Map.of("chunking_size", 777, "chunking_overlap", 77,
                "openai_api_key", "sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), HttpStatus.OK);

        for (String path : List.of("/api/documents/" + docA, "/api/documents/" + docA + "/status")) {
            http.get().uri(path).header("X-API-Key", b.apiKey()).exchange().expectStatus().isNotFound();
            http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + b.token()).exchange()
                    .expectStatus().isNotFound();
        }
        assertThat(get(b, "/api/documents").get("total").asInt()).isZero();
        assertThat(search(b, "Project Nightingale budget", 100).get("results")).isEmpty();
        JsonNode configB = get(b, "/api/customers/config");
        assertThat(configB.get("chunking_size").asInt()).isEqualTo(1000);
        assertThat(configB.get("openai_api_key").isNull()).isTrue();
        assertThat(get(b, "/api/customers/profile").get("customer_id").asText()).isEqualTo(b.id());
        assertThat(me(b.token(), HttpStatus.OK).get("email").asText()).isEqualTo(b.email());
        // B rotating its key changes nothing for A
        http.post().uri("/api/customers/api-key").header("X-API-Key", b.apiKey()).exchange().expectStatus().isOk();
        http.get().uri("/api/documents").header("X-API-Key", a.apiKey()).exchange().expectStatus().isOk();
        // and A still sees its own
        assertThat(search(a, "Project Nightingale budget", 5).get("results").get(0).get("document_id").asText())
                .isEqualTo(docA);
    }

    private JsonNode me(String token, HttpStatus expected) {
        return http.get().uri("/api/auth/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode refresh(String refreshToken, HttpStatus expected) {
        return http.post().uri("/api/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", refreshToken)).exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode get(Tenant tenant, String path) {
        return http.get().uri(path).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode put(Tenant tenant, String path, Map<String, ?> body, HttpStatus expected) {
        return http.put().uri(path).header("X-API-Key", tenant.apiKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private String eventsOf(String aggregateId) {
        return String.join("\n", jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ?",
                String.class, aggregateId));
    }

    private static String signedToken(String subject, Instant issued, Instant expires, String secret) {
        return signedToken(subject, issued, expires, secret, UUID.randomUUID().toString());
    }

    private static String signedToken(String subject, Instant issued, Instant expires, String secret,
                                      String sessionId) {
        return Jwts.builder().id(UUID.randomUUID().toString()).subject(subject).claim("sid", sessionId)
                .issuedAt(Date.from(issued)).expiration(Date.from(expires))
                .signWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8))).compact();
    }
}
