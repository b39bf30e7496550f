package io.dynamicrag.processing.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.storage.BlobStore.PresignedUpload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract on the file system. The presigned-upload case goes through a stand-in for the service's
 * {@code PUT /api/uploads/{token}} endpoint (verify the token, require its content type, stream the body into
 * {@link BlobStore#put(String, InputStream, long, String)}), the same steps the real controller takes.
 */
class FileSystemBlobStoreTest extends BlobStoreContractTest {

    static final String SECRET = "a-test-upload-secret-of-at-least-32-bytes";

    static HttpServer uploadEndpoint;
    static volatile BlobStore target;

    @TempDir
    Path root;

    @BeforeAll
    static void startUploadEndpoint() throws IOException {
        SignedUploadTokens tokens = new SignedUploadTokens(SECRET);
        uploadEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        uploadEndpoint.createContext("/api/uploads/", exchange -> {
            try {
                handleUpload(tokens, exchange);
            } finally {
                exchange.close();
            }
        });
        uploadEndpoint.start();
    }

    @AfterAll
    static void stopUploadEndpoint() {
        uploadEndpoint.stop(0);
    }

    private static void handleUpload(SignedUploadTokens tokens, HttpExchange exchange) throws IOException {
        if (!"PUT".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        String token = exchange.getRequestURI().getRawPath().substring("/api/uploads/".length());
        SignedUploadTokens.Upload upload;
        try {
            upload = tokens.verify(token);
        } catch (SignedUploadTokens.InvalidTokenException e) {
            exchange.sendResponseHeaders(403, -1);
            return;
        }
        if (!upload.contentType().equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            exchange.sendResponseHeaders(403, -1);
            return;
        }
        long length = Long.parseLong(exchange.getRequestHeaders().getFirst("Content-Length"));
        try (InputStream body = exchange.getRequestBody()) {
            target.put(upload.key(), body, length, upload.contentType());
        }
        exchange.sendResponseHeaders(200, -1);
    }

    @Override
    protected BlobStore createStore() {
        FileSystemBlobStore store = new FileSystemBlobStore(root, new SignedUploadTokens(SECRET), baseUrl());
        target = store;
        return store;
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + uploadEndpoint.getAddress().getPort();
    }

    @Test
    void shouldHandOutAUrlOfThisServiceWithAUrlSafeToken() {
        String key = base + "d1/raw/x.pdf";
        FileSystemBlobStore withSlash = new FileSystemBlobStore(root, new SignedUploadTokens(SECRET),
                "https://rag.example.com/");

        PresignedUpload upload = withSlash.presignUpload(key, "application/pdf", Duration.ofMinutes(15));

        assertThat(upload.url()).matches("https://rag\\.example\\.com/api/uploads/[A-Za-z0-9_.-]+");
        String token = upload.url().substring(upload.url().lastIndexOf('/') + 1);
        SignedUploadTokens.Upload allowed = new SignedUploadTokens(SECRET).verify(token);
        assertThat(allowed.key()).isEqualTo(key);
        assertThat(allowed.contentType()).isEqualTo("application/pdf");
        assertThat(allowed.expiresAt()).isEqualTo(upload.expiresAt());
    }

    @Test
    void shouldRefuseAnUploadAfterItsUrlExpired() throws Exception {
        String key = base + "d1/raw/x.pdf";
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        BlobStore issuedLongAgo = new FileSystemBlobStore(root, new SignedUploadTokens(SECRET, anHourAgo), baseUrl());

        PresignedUpload upload = issuedLongAgo.presignUpload(key, "application/pdf", Duration.ofMinutes(5));

        assertThat(httpPut(upload, new byte[] {1, 2}).statusCode()).isEqualTo(403);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void shouldRefuseAnUploadWithAnotherContentType() throws Exception {
        String key = base + "d1/raw/x.pdf";
        PresignedUpload upload = store.presignUpload(key, "application/pdf", Duration.ofMinutes(5));

        PresignedUpload otherType = new PresignedUpload(upload.url(),
                java.util.Map.of("Content-Type", "text/html"), upload.expiresAt());

        assertThat(httpPut(otherType, new byte[] {1, 2}).statusCode()).isEqualTo(403);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void shouldLeaveNoTemporaryFilesBehind() throws IOException {
        String key = base + "d1/v1/parsed.txt";
        store.put(key, "text".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put(key, InputStream.nullInputStream(), 5, "text/plain"));

        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactly("parsed.txt");
        }
    }

    // --- SignedUploadTokens -----------------------------------------------------------------------------------

    @Test
    void shouldRoundTripAToken() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        SignedUploadTokens tokens = new SignedUploadTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC));

        SignedUploadTokens.Issued issued = tokens.issue("tenants/t/documents/d/raw/x.pdf", "application/pdf",
                Duration.ofMinutes(10).plusMillis(999));

        assertThat(issued.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(10)));
        assertThat(issued.token()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(tokens.verify(issued.token())).isEqualTo(new SignedUploadTokens.Upload(
                "tenants/t/documents/d/raw/x.pdf", "application/pdf", now.plus(Duration.ofMinutes(10))));
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String token = new SignedUploadTokens(SECRET, Clock.fixed(now, ZoneOffset.UTC))
                .issue("k/x", "text/plain", Duration.ofSeconds(60)).token();

        assertThat(new SignedUploadTokens(SECRET, Clock.fixed(now.plusSeconds(59), ZoneOffset.UTC)).verify(token))
                .isNotNull();
        assertThatThrownBy(() -> new SignedUploadTokens(SECRET, Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC))
                .verify(token))
                .isInstanceOfSatisfying(SignedUploadTokens.InvalidTokenException.class,
                        e -> assertThat(e.expired()).isTrue());
    }

    @Test
    void shouldRefuseATamperedOrForeignToken() {
        SignedUploadTokens tokens = new SignedUploadTokens(SECRET);
        String token = tokens.issue("tenants/a/documents/d/raw/x.pdf", "application/pdf", Duration.ofMinutes(5))
                .token();
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        String otherKey = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
                .replace("tenants/a/", "tenants/b/");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(otherKey.getBytes(StandardCharsets.UTF_8));
        String otherSecretToken = new SignedUploadTokens("another-secret-that-is-32-bytes-long!!")
                .issue("tenants/a/documents/d/raw/x.pdf", "application/pdf", Duration.ofMinutes(5)).token();

        for (String bad : new String[] {forgedPayload + "." + signature, payload + "." + flip(signature),
                flip(payload) + "." + signature, otherSecretToken, payload, payload + ".", "." + signature,
                token + ".x", "", "not a token!", "a".repeat(5000)}) {
            assertThatThrownBy(() -> tokens.verify(bad)).as("token %s", bad)
                    .isInstanceOfSatisfying(SignedUploadTokens.InvalidTokenException.class, e -> {
                        assertThat(e.expired()).isFalse();
                        assertThat(e.getMessage()).doesNotContain(SECRET);
                    });
        }
        assertThat(tokens.verify(token).key()).isEqualTo("tenants/a/documents/d/raw/x.pdf");
    }

    @Test
    void shouldRefuseWeakSecretsAndUnsafeFields() {
        assertThatThrownBy(() -> new SignedUploadTokens("short")).isInstanceOf(IllegalArgumentException.class);
        SignedUploadTokens tokens = new SignedUploadTokens(SECRET);
        assertThatThrownBy(() -> tokens.issue("k\nx", "text/plain", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("k", "text/plain\r\nX-Evil: 1", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("k", "text/plain", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String flip(String s) {
        char c = s.charAt(s.length() / 2);
        return s.substring(0, s.length() / 2) + (c == 'A' ? 'B' : 'A') + s.substring(s.length() / 2 + 1);
    }
}
