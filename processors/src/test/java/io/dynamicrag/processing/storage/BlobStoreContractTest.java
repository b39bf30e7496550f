package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.storage.BlobStore.PresignedUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * What every {@link BlobStore} adapter must do; one subclass per adapter ({@link FileSystemBlobStoreTest},
 * {@link S3BlobStoreTest}). Every test works under a fresh tenant prefix, so adapters may share one bucket.
 */
abstract class BlobStoreContractTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected BlobStore store;
    /** {@code tenants/<fresh uuid>/documents/}: each test's own corner of the store. */
    protected String base;

    /** A new store for one test. */
    protected abstract BlobStore createStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
        base = "tenants/" + UUID.randomUUID() + "/documents/";
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void shouldReturnTheBytesItStored() throws IOException {
        byte[] content = "%PDF-1.7 some bytes \u00e9\u00e8".getBytes(StandardCharsets.UTF_8);
        String key = base + "d1/raw/" + "a".repeat(64) + ".pdf";

        store.put(key, content);

        assertThat(store.get(key)).hasValue(content);
        assertThat(store.size(key)).hasValue((long) content.length);
        try (InputStream in = store.open(key).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void shouldStoreAStreamOfTheGivenLength() throws IOException {
        byte[] content = "parsed text\nline two".getBytes(StandardCharsets.UTF_8);
        String key = base + "d1/v1/parsed.txt";

        store.put(key, new ByteArrayInputStream(content), content.length, "text/plain");

        assertThat(store.get(key)).hasValue(content);
        try (InputStream in = store.open(key).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void shouldStoreAnEmptyBlob() {
        String key = base + "d1/v1/empty.txt";

        store.put(key, new ByteArrayInputStream(new byte[0]), 0, "text/plain");

        assertThat(store.get(key)).hasValue(new byte[0]);
        assertThat(store.size(key)).hasValue(0L);
    }

    @Test
    void shouldStreamALargeBlobInAndOut() throws IOException {
        long length = 20L * 1024 * 1024 + 123;
        String key = base + "d1/raw/" + "b".repeat(64) + ".bin";
        GeneratedStream source = new GeneratedStream(length, 42);

        store.put(key, source, length, "application/octet-stream");

        assertThat(source.produced()).isEqualTo(length);
        assertThat(store.size(key)).hasValue(length);
        MessageDigest read = sha256();
        long count = 0;
        try (InputStream in = store.open(key).orElseThrow()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(length);
        assertThat(read.digest()).isEqualTo(source.digest());
    }

    @Test
    void shouldLetTheCallerCloseAStreamBeforeTheEnd() throws IOException {
        long length = 4L * 1024 * 1024;
        String key = base + "d1/raw/" + "c".repeat(64) + ".bin";
        store.put(key, new GeneratedStream(length, 7), length, "application/octet-stream");

        try (InputStream in = store.open(key).orElseThrow()) {
            assertThat(in.readNBytes(10)).hasSize(10);
        }

        assertThat(store.size(key)).hasValue(length);
    }

    @Test
    void shouldReplaceABlobThatIsWrittenAgain() {
        String key = base + "d1/v1/chunks.json";
        store.put(key, "first version, longer".getBytes(StandardCharsets.UTF_8));

        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(second), second.length, "application/json");

        assertThat(store.get(key)).hasValue(second);
        assertThat(store.size(key)).hasValue((long) second.length);
    }

    @Test
    void shouldAnswerEmptyForAMissingBlob() {
        String missing = base + "d1/v1/missing.txt";
        store.put(base + "d1/v1/present.txt", new byte[] {1});

        assertThat(store.get(missing)).isEmpty();
        assertThat(store.open(missing)).isEmpty();
        assertThat(store.size(missing)).isEmpty();
        // a prefix that only holds other blobs is not a blob itself
        assertThat(store.get(base + "d1/v1")).isEmpty();
        assertThat(store.open(base + "d1")).isEmpty();
        assertThat(store.size(base + "d1/v1")).isEmpty();
    }

    @Test
    void shouldDeleteExactlyThePrefixAndCountTheBlobs() {
        byte[] one = {1};
        store.put(base + "d1/raw/x.pdf", one);
        store.put(base + "d1/v1/parsed.txt", one);
        store.put(base + "d1/v1/chunks.json", one);
        store.put(base + "d10/raw/x.pdf", one);
        store.put(base + "d2/raw/x.pdf", one);

        assertThat(store.deletePrefix(base + "d1/")).isEqualTo(3);

        assertThat(store.get(base + "d1/raw/x.pdf")).isEmpty();
        assertThat(store.get(base + "d1/v1/parsed.txt")).isEmpty();
        assertThat(store.get(base + "d10/raw/x.pdf")).hasValue(one);
        assertThat(store.get(base + "d2/raw/x.pdf")).hasValue(one);
        assertThat(store.deletePrefix(base + "d1/")).isZero();
    }

    @Test
    void shouldTreatAPrefixWithoutSlashAsWholePathSegments() {
        byte[] one = {1};
        store.put(base + "d1/raw/x.pdf", one);
        store.put(base + "d10/raw/x.pdf", one);
        store.put(base + "d10/v1/parsed.txt", one);

        assertThat(store.deletePrefix(base + "d1")).isEqualTo(1);
        assertThat(store.get(base + "d10/raw/x.pdf")).hasValue(one);

        assertThat(store.deletePrefix(base + "d10/v1/parsed.txt")).as("a prefix naming one blob").isEqualTo(1);
        assertThat(store.get(base + "d10/raw/x.pdf")).hasValue(one);
        assertThat(store.deletePrefix(base + "nothing-here/")).isZero();
    }

    @Test
    void shouldDeleteMoreBlobsThanOneListingPage() throws Exception {
        int count = 1005;
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = base + "d1/v1/part-" + i;
                byte[] content = {(byte) i};
                writes.add(writers.submit(() -> store.put(key, content)));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
        }
        store.put(base + "d2/v1/keep", new byte[] {1});

        assertThat(store.deletePrefix(base + "d1/")).isEqualTo(count);

        assertThat(store.get(base + "d1/v1/part-0")).isEmpty();
        assertThat(store.get(base + "d1/v1/part-" + (count - 1))).isEmpty();
        assertThat(store.get(base + "d2/v1/keep")).isPresent();
    }

    @Test
    void shouldRefuseKeysThatCouldEscape() {
        for (String key : new String[] {"../etc/passwd", base + "d1/../../x", "/tenants/x", "tenants\\x", "",
                "  ", "..", base + "d1/..", null}) {
            assertRefused(key, () -> store.put(key, new byte[] {1}));
            assertRefused(key, () -> store.put(key, new ByteArrayInputStream(new byte[] {1}), 1, "text/plain"));
            assertRefused(key, () -> store.get(key));
            assertRefused(key, () -> store.open(key));
            assertRefused(key, () -> store.size(key));
            assertRefused(key, () -> store.deletePrefix(key));
            assertRefused(key, () -> store.presignUpload(key, "text/plain", Duration.ofMinutes(5)));
        }
    }

    @Test
    void shouldFailAStreamShorterThanItsLengthAndKeepThePreviousBlob() {
        String key = base + "d1/v1/parsed.txt";
        store.put(key, "old".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[10]), 100, "text/plain"))
                .isInstanceOfAny(java.io.UncheckedIOException.class, IllegalStateException.class)
                .hasMessageContaining(key);

        assertThat(store.get(key)).hasValue("old".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptAnHttpPutToThePresignedUrl() throws Exception {
        String key = base + "d1/raw/" + "d".repeat(64) + ".pdf";
        byte[] content = "%PDF-1.4 uploaded by a client".getBytes(StandardCharsets.UTF_8);
        Instant before = Instant.now();

        PresignedUpload upload = store.presignUpload(key, "application/pdf", Duration.ofMinutes(10));

        assertThat(upload.url()).startsWith("http");
        assertThat(upload.headers()).containsEntry("Content-Type", "application/pdf");
        assertThat(upload.expiresAt()).isBetween(before.plus(Duration.ofMinutes(9)),
                Instant.now().plus(Duration.ofMinutes(10)));
        HttpResponse<String> response = httpPut(upload, content);
        assertThat(response.statusCode()).as("PUT answered %s", response.body()).isBetween(200, 299);
        assertThat(store.get(key)).hasValue(content);
    }

    @Test
    void shouldRefuseInvalidPresignArguments() {
        String key = base + "d1/raw/x.pdf";
        assertThatThrownBy(() -> store.presignUpload(key, "application/pdf", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignUpload(key, "application/pdf", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignUpload(key, " ", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A plain client PUT of the body to the URL with exactly the headers the store asked for. */
    static HttpResponse<String> httpPut(PresignedUpload upload, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upload.url()))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        upload.headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(String key, Executable call) {
        assertAll(() -> assertThatThrownBy(call::execute).as("key %s", key)
                .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code length} pseudo-random bytes made on the fly (never held in memory), hashed as they are read; does not
     * support mark/reset, like a request body.
     */
    static final class GeneratedStream extends InputStream {

        private final long length;
        private final Random random;
        private final MessageDigest digest = sha256();
        private long produced;

        GeneratedStream(long length, long seed) {
            this.length = length;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            if (produced >= length) {
                return -1;
            }
            int n = (int) Math.min(count, length - produced);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, n);
            digest.update(chunk);
            produced += n;
            return n;
        }

        long produced() {
            return produced;
        }

        byte[] digest() {
            return digest.digest();
        }
    }

    static Optional<String> queryParameter(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
                return Optional.of(java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
