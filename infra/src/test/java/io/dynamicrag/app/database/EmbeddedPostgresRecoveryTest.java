package io.dynamicrag.app.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL after crashes (issue 15, drill "embedded"): a server that dies while the application runs
 * is started again on the same port, and a stale {@code postmaster.pid} whose pid now belongs to another process
 * neither blocks the start nor gets that process stopped.
 */
class EmbeddedPostgresRecoveryTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path otherDataDir;

    private final DatabaseEnvironmentPostProcessor postProcessor = new DatabaseEnvironmentPostProcessor(Supplier::get);
    private final List<String> givenUp = new CopyOnWriteArrayList<>();
    private Process unrelated;

    @BeforeEach
    void catchGiveUp() {
        DatabaseEnvironmentPostProcessor.onEmbeddedServerLost(givenUp::add);
    }

    @AfterEach
    void stopEverything() {
        DatabaseEnvironmentPostProcessor.stopEmbedded(dataDir);
        DatabaseEnvironmentPostProcessor.stopEmbedded(otherDataDir);
        if (unrelated != null) {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void shouldStartTheServerAgainOnTheSamePortWhenItIsKilled() throws Exception {
        DatabaseUrl url = postProcessor.startEmbedded(dataDir);
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute("create table survivor (id int primary key, name text)");
            statement.execute("insert into survivor values (1, 'kept')");
        }
        long postmaster = postmasterPid(dataDir);

        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();   // SIGKILL, as the drill does

        Awaitility.await("the same URL answering again").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
                        return value(statement, "select name from survivor where id = 1").equals("kept");
                    }
                });
        assertThat(postmasterPid(dataDir)).isNotEqualTo(postmaster);
        assertThat(givenUp).isEmpty();
        assertThat(postProcessor.startEmbedded(dataDir)).as("the JVM's server, at the same place").isEqualTo(url);
    }

    @Test
    void shouldLeaveAnUnrelatedProcessAloneAndStartDespiteItsPidInAStalePidFile() throws Exception {
        initialiseAndStop(dataDir);
        unrelated = new ProcessBuilder("sleep", "300").start();
        writePidFile(dataDir, unrelated.pid());

        DatabaseUrl url = postProcessor.startEmbedded(dataDir);

        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            assertThat(value(statement, "select 1")).isEqualTo("1");
        }
        assertThat(unrelated.isAlive()).isTrue();
    }

    @Test
    void shouldNeverStopAnotherDirectorysPostgresNamedByAStalePidFile() throws Exception {
        initialiseAndStop(dataDir);
        DatabaseUrl other = postProcessor.startEmbedded(otherDataDir);
        long otherPostmaster = postmasterPid(otherDataDir);
        try (Connection inUse = connect(other)) {   // another live process's session on that server
            writePidFile(dataDir, otherPostmaster);

            DatabaseUrl url = postProcessor.startEmbedded(dataDir);

            assertThat(url.port()).isNotEqualTo(other.port());
            try (Statement statement = inUse.createStatement()) {
                assertThat(value(statement, "select 1")).as("the other server and its session").isEqualTo("1");
            }
        }
        assertThat(ProcessHandle.of(otherPostmaster).map(ProcessHandle::isAlive)).contains(true);
    }

    /** A data directory with a database in it and no server running, as after a reboot. */
    private void initialiseAndStop(Path dir) {
        postProcessor.startEmbedded(dir);
        assertThat(DatabaseEnvironmentPostProcessor.stopEmbedded(dir)).isTrue();
        assertThat(Files.exists(dir.resolve("postgres").resolve("postmaster.pid"))).isFalse();
    }

    /** What a postmaster leaves when it dies: its pid first, then its data directory and more lines. */
    private static void writePidFile(Path dir, long pid) throws Exception {
        Path postgres = dir.toAbsolutePath().resolve("postgres");
        Files.writeString(postgres.resolve("postmaster.pid"),
                pid + "\n" + postgres + "\n1700000000\n5432\n/tmp\nlocalhost\n  1234567         0\nready   \n",
                StandardCharsets.UTF_8);
    }

    private static long postmasterPid(Path dir) throws Exception {
        return Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    }

    private static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.username(), null);
    }

    private static String value(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
