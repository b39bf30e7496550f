package io.dynamicrag.app.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server of a test's own (zonky's binaries, the ones the embedded mode runs) on a free loopback port and
 * in a temporary data directory, which the test may stop ({@code pg_ctl stop -m fast}, as a restart does) and start
 * again on the same port and data: the shared PostgreSQL on 5432 is never touched. Database and user: postgres,
 * trust authentication.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres server;

    private PrivatePostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    public static PrivatePostgres start() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PrivatePostgres postgres = new PrivatePostgres(probe.getLocalPort(),
                    Files.createTempDirectory("rag-private-pg-"));
            probe.close();
            postgres.startAgain();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    /** Starts the server (again) on its port with the data it had, and returns once it accepts connections. */
    public synchronized void startAgain() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setPort(port)
                    // as in production: a commit is on disk when it returns (zonky turns both off)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " (see " + dataDir
                    + "/postgres.log)", e);
        }
    }

    /** A fast shutdown: open sessions are ended, in-flight transactions rolled back, committed data kept. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
