package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.storage.BlobStore.PresignedUpload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.dynamicrag.kernel.storage.StorageUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract against a real S3-compatible server (S3Mock, started by {@link TestS3Server}), over HTTP. */
class S3BlobStoreTest extends BlobStoreContractTest {

    /** One bucket for the class, created by the first store (every test works under its own prefix). */
    static final String BUCKET = "contract-" + UUID.randomUUID().toString().substring(0, 8);

    static S3BlobStore.Settings settings(String bucket, String endpoint, boolean createBucket) {
        return new S3BlobStore.Settings(bucket, TestS3Server.REGION, endpoint, true, TestS3Server.ACCESS_KEY,
                TestS3Server.SECRET_KEY, null, createBucket);
    }

    @Override
    protected BlobStore createStore() {
        return S3BlobStore.create(settings(BUCKET, TestS3Server.endpoint(), true));
    }

    @Test
    void shouldCreateAMissingBucketAndReuseAnExistingOne() {
        String bucket = "created-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3BlobStore first = S3BlobStore.create(settings(bucket, TestS3Server.endpoint(), true));
             S3BlobStore second = S3BlobStore.create(settings(bucket, TestS3Server.endpoint(), true))) {
            first.put("k/one", new byte[] {1});
            assertThat(second.get("k/one")).hasValue(new byte[] {1});
        }
    }

    @Test
    void shouldHandOutAnS3PresignedUrlWithTheContentTypeSigned() {
        PresignedUpload upload = store.presignUpload(base + "d1/raw/x.pdf", "application/pdf", Duration.ofMinutes(5));

        assertThat(upload.url()).startsWith(TestS3Server.endpoint() + "/" + BUCKET + "/" + base + "d1/raw/x.pdf?");
        assertThat(queryParameter(upload.url(), "X-Amz-Signature")).isPresent();
        assertThat(queryParameter(upload.url(), "X-Amz-Expires")).hasValue("300");
        assertThat(queryParameter(upload.url(), "X-Amz-SignedHeaders").orElseThrow()).contains("content-type");
        assertThat(upload.headers()).containsEntry("Content-Type", "application/pdf").doesNotContainKey("host");
    }

    @Test
    void shouldNotAcceptAPutAfterThePresignedUrlExpired() throws Exception {
        String key = base + "d1/raw/x.pdf";
        PresignedUpload upload = store.presignUpload(key, "application/pdf", Duration.ofSeconds(1));
        // the server judges expiry by its own clock (the URL's X-Amz-Date + X-Amz-Expires, whole seconds), and
        // S3BlobStore signs with the system clock: wait until that clock is past the expiry
        Awaitility.await("presigned URL expired").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(upload.expiresAt().plusSeconds(1)));

        int status = httpPut(upload, "late".getBytes(StandardCharsets.UTF_8)).statusCode();

        org.junit.jupiter.api.Assumptions.assumeTrue(status == 403,
                "S3Mock does not check presigned URL expiry (answered " + status + "); AWS answers 403");
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void shouldReportAnUnreachableServerNamingTheKeyAndNoSecret() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3BlobStore unreachable = S3BlobStore.create(
                settings(BUCKET, "http://127.0.0.1:" + closedPort, false))) {
            String key = base + "d1/v1/parsed.txt";

            assertThatThrownBy(() -> unreachable.put(key, new byte[] {1}))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining(BUCKET)
                    .hasMessageNotContaining(TestS3Server.SECRET_KEY);
            assertThatThrownBy(() -> unreachable.get(key))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(key);
        }
    }

    /**
     * Issue 15's S3 drill: a streamed upload (a multipart file) whose connection broke while the body was being sent
     * answered 500, because the SDK's retry found the stream already read ("does not support mark/reset"). A server
     * that goes away mid-upload is storage unavailable, like one that refuses the connection.
     */
    @Test
    void shouldReportAConnectionBrokenMidUploadAsStorageUnavailable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread breaker = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        socket.setSoLinger(true, 0);    // a reset, as from a killed server
                        socket.getInputStream().read(new byte[4096]);
                    } catch (IOException e) {
                        // closed by the test, or the client gave up
                    }
                }
            }, "s3-connection-breaker");
            breaker.setDaemon(true);
            breaker.start();
            try (S3BlobStore breaking = S3BlobStore.create(
                    settings(BUCKET, "http://127.0.0.1:" + server.getLocalPort(), false))) {
                String key = base + "d1/raw/upload.txt";
                byte[] body = new byte[512 * 1024];
                InputStream once = new FilterInputStream(new ByteArrayInputStream(body)) {
                    @Override
                    public boolean markSupported() {
                        return false;
                    }
                };

                assertThatThrownBy(() -> breaking.put(key, once, body.length, "text/plain"))
                        .isInstanceOf(StorageUnavailableException.class)
                        .hasMessageContaining(key);
            }
        }
    }

    @Test
    void shouldReportAMissingBucketAsAnErrorNotAsAMissingBlob() {
        try (S3BlobStore noBucket = S3BlobStore.create(
                settings("missing-" + UUID.randomUUID().toString().substring(0, 8), TestS3Server.endpoint(), false))) {
            assertThatThrownBy(() -> noBucket.get(base + "x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(base + "x")
                    .hasMessageContaining("404");
        }
    }

    @Test
    void shouldNeverPrintTheSecretKeyOfItsSettings() {
        assertThat(settings(BUCKET, TestS3Server.endpoint(), true).toString())
                .doesNotContain(TestS3Server.SECRET_KEY)
                .doesNotContain(TestS3Server.ACCESS_KEY);
        assertThatThrownBy(() -> new S3BlobStore.Settings(BUCKET, "us-east-1", null, false, "only-access", null,
                null, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
