package io.dynamicrag.app.support;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An S3-compatible server of a test's own (the S3Mock exec jar, as TestS3Server starts it) on a free loopback port,
 * which the test may kill (SIGKILL) and start again on the same port: its objects stay on disk in its directory
 * across the restart, as a real server's would. The shared test S3 server is never touched.
 */
public final class PrivateS3 implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final int httpPort;
    private final int httpsPort;
    private final Path dir;
    private Process process;

    private PrivateS3(int httpPort, int httpsPort, Path dir) {
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.dir = dir;
    }

    public static PrivateS3 start() {
        try {
            PrivateS3 s3 = new PrivateS3(freePort(), freePort(), Files.createTempDirectory("rag-s3-"));
            s3.startAgain();
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the server (again) on its ports with its objects, and waits until it answers. */
    public synchronized void startAgain() {
        String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", jar, "--http.port=" + httpPort, "--server.port=" + httpsPort,
                    "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store"),
                    "--com.adobe.testing.s3mock.store.retainFilesOnExit=true", "--spring.main.banner-mode=off"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3mock.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock from " + jar, e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest listBuckets = HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(5))
                .GET().build();
        Awaitility.await("S3Mock at " + endpoint() + " (log " + dir.resolve("s3mock.log") + ")")
                .atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("S3Mock exited; see " + dir.resolve("s3mock.log"));
                    }
                    try {
                        return http.send(listBuckets, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** SIGKILL, as a crash would: connections are refused until {@link #startAgain()}. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
