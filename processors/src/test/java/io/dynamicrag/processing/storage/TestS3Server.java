package io.dynamicrag.processing.storage;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for the tests: the S3Mock exec jar ({@code com.adobe.testing:s3mock:exec}), started
 * once per test JVM as a child process and stopped by a shutdown hook. No Docker needed.
 *
 * <p>The jar comes from the system property {@code s3mock.jar}, which surefire sets to the copy the
 * maven-dependency-plugin puts in {@code target/s3mock/s3mock-exec.jar}; without it (an IDE run) that path under
 * the working directory is tried. S3Mock 5.2.0 is built for Java 17 (class files version 61, Spring Boot 4.1), so
 * it runs with this JVM's own {@code java}; {@code -Ds3mock.java=/path/to/java} picks another.
 *
 * <p>S3Mock keeps objects under a temporary directory that is deleted when it stops. It accepts any credentials
 * and does not check request signatures.
 */
public final class TestS3Server {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-not-for-production";
    public static final String REGION = "us-east-1";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 3;
    private static TestS3Server instance;

    private final String endpoint;

    private TestS3Server(String endpoint) {
        this.endpoint = endpoint;
    }

    /** The server's URL ({@code http://127.0.0.1:<port>}), starting it on first use. Use path-style access. */
    public static synchronized String endpoint() {
        if (instance == null) {
            instance = start();
        }
        return instance.endpoint;
    }

    private static TestS3Server start() {
        Path jar = locateJar();
        String java = System.getProperty("s3mock.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path work;
        try {
            work = Files.createTempDirectory("s3mock-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Process> started = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.forEach(TestS3Server::stop);
            deleteTree(work);
        }, "s3mock-stop"));
        String lastFailure = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int httpPort = freePort();
            int httpsPort = freePort();
            Path log = work.resolve("s3mock-" + attempt + ".log");
            List<String> command = List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", jar.toString(),
                    "--http.port=" + httpPort,
                    // S3Mock's HTTPS connector (server.port) cannot be switched off: give it a free port too
                    "--server.port=" + httpsPort,
                    "--com.adobe.testing.s3mock.store.root=" + work.resolve("root-" + attempt),
                    "--com.adobe.testing.s3mock.store.retainFilesOnExit=false",
                    "--spring.main.banner-mode=off");
            long startedAt = System.nanoTime();
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start S3Mock with " + java, e);
            }
            started.add(process);
            String endpoint = "http://127.0.0.1:" + httpPort;
            if (awaitReady(process, endpoint)) {
                System.out.printf("S3Mock (%s) answering at %s after %.1f s; log %s%n", jar.getFileName(), endpoint,
                        (System.nanoTime() - startedAt) / 1e9, log);
                return new TestS3Server(endpoint);
            }
            stop(process);
            lastFailure = tail(log);
            if (!lastFailure.contains("already in use")) {
                break;
            }
        }
        throw new IllegalStateException("S3Mock (" + jar + ") did not start within " + STARTUP_TIMEOUT.toSeconds()
                + " s. Its last output:\n" + lastFailure);
    }

    private static boolean awaitReady(Process process, String endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest listBuckets = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        // done when it answers, or when the process died (then there is nothing to wait for)
        try {
            Awaitility.await("S3Mock at " + endpoint).atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || answers(http, listBuckets));
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    private static boolean answers(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private static Path locateJar() {
        String configured = System.getProperty("s3mock.jar");
        Path jar = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("target", "s3mock", "s3mock-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The S3Mock exec jar is not at " + jar.toAbsolutePath()
                    + ": run the tests through Maven (maven-dependency-plugin copies it in process-test-resources)"
                    + " or pass -Ds3mock.jar=/path/to/s3mock-exec.jar");
        }
        return jar.toAbsolutePath();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
