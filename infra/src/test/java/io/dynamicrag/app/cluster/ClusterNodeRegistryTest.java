package io.dynamicrag.app.cluster;

import io.dynamicrag.app.database.DatabaseUrl;
import org.axonframework.config.EventProcessingConfiguration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry against the real PostgreSQL, in a database of its own (the application tests' database has a live
 * node whose shares the rows made here would change): nodes are rows, as other processes would write them.
 */
class ClusterNodeRegistryTest {

    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(10);

    private static DatabaseUrl admin;
    private static String databaseName;
    private static DelegatingDataSource database;
    private static DriverManagerDataSource reachable;
    private static JdbcTemplate jdbc;

    private final List<ClusterNodeRegistry> registries = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        admin = DatabaseUrl.parse(System.getenv().getOrDefault("TEST_DATABASE_URL",
                "postgresql://postgres@127.0.0.1:5432/postgres"));
        databaseName = "rag_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        new JdbcTemplate(dataSource(admin.jdbcUrl())).execute("CREATE DATABASE " + databaseName);
        reachable = dataSource(new DatabaseUrl(admin.host(), admin.port(), databaseName, admin.username(),
                admin.password(), admin.parameters()).jdbcUrl());
        Flyway.configure().dataSource(reachable).locations("classpath:db/migration").load().migrate();
        database = new DelegatingDataSource(reachable);
        jdbc = new JdbcTemplate(database);
    }

    @AfterAll
    static void dropDatabase() {
        // FORCE: a backend whose client has just closed its connection may still be exiting (CI: "being accessed
        // by other users" right after the last registry stopped)
        new JdbcTemplate(dataSource(admin.jdbcUrl())).execute("DROP DATABASE IF EXISTS " + databaseName
                + " WITH (FORCE)");
    }

    @BeforeEach
    void emptyTables() {
        database.setTargetDataSource(reachable);
        jdbc.update("DELETE FROM cluster_nodes");
        jdbc.update("DELETE FROM cluster_segment_releases");
        jdbc.update("DELETE FROM token_entry");
    }

    @AfterEach
    void stopRegistries() {
        registries.forEach(ClusterNodeRegistry::destroy);
    }

    @Test
    void shouldShareSegmentsAmongLiveNodesRunningTheProcessor() {
        segments("p", 16, null);
        otherNode("n2", "0 seconds", "p");
        otherNode("n3", "0 seconds", "p", "q");
        otherNode("n4-dead", "1 minute", "p");
        otherNode("n5-other-work", "0 seconds", "q");

        ClusterNodeRegistry n1 = registry("n1", HEARTBEAT, NODE_TIMEOUT);

        // n1 runs no processor yet (Axon is not up) and still counts itself: 16 / (n1, n2, n3)
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(6);
        // q has no token rows yet: rag.cluster.segments (16) among n1, n3 and n5
        assertThat(n1.maxClaimedSegments("q")).isEqualTo(6);
        assertThat(n1.maxClaimedSegments("never-seen")).isEqualTo(16);
        assertThat(n1.liveNodes()).isEqualTo(4);
    }

    @Test
    void shouldMakeRoomForSegmentsReleasedOnOtherNodesAndKeepTheLastSharesWhenTheDatabaseIsDown() {
        segments("p", 16, null);
        jdbc.update("UPDATE token_entry SET owner = 'n2' WHERE segment IN (3, 4)");
        jdbc.update("UPDATE token_entry SET owner = 'n1' WHERE segment = 5");
        otherNode("n2", "0 seconds", "p");
        otherNode("n3", "0 seconds", "p");
        ClusterNodeRegistry n1 = registry("n1", HEARTBEAT, NODE_TIMEOUT);
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(6);

        requestRelease("p", 3);
        // a request for a segment n1 holds itself gives n1 no extra room: n1 is the one to let it go
        requestRelease("p", 5);
        n1.heartbeat();
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(7);

        database.setTargetDataSource(dataSource("jdbc:postgresql://127.0.0.1:1/unreachable"));
        n1.heartbeat();
        assertThat(n1.maxClaimedSegments("p")).as("last value while the database is down").isEqualTo(7);

        database.setTargetDataSource(reachable);
        jdbc.update("DELETE FROM cluster_segment_releases");
        n1.heartbeat();
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(6);
    }

    @Test
    void shouldKeepTheRoomWhileAnotherNodesReleaseWindowLasts() {
        segments("p", 16, null);
        otherNode("n2", "0 seconds", "p");
        ClusterNodeRegistry n1 = registry("n1", HEARTBEAT, NODE_TIMEOUT);
        // n2 served the request: the segment is free and n2 stays away from it for the release window
        jdbc.update("""
                INSERT INTO cluster_segment_releases (processor_name, segment, requested_by, released_at, released_by)
                VALUES ('p', 7, 'admin:test', now(), 'n2')""");
        n1.heartbeat();
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(9);

        // once the window is over the row goes and the share is back to 16 / 2
        jdbc.update("UPDATE cluster_segment_releases SET released_at = now() - interval '31 seconds'");
        n1.heartbeat();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cluster_segment_releases", Integer.class)).isZero();
        assertThat(n1.maxClaimedSegments("p")).isEqualTo(8);
    }

    @Test
    void shouldRegisterAtConstructionAndLeaveOnShutdown() {
        LocalProcess process = new LocalProcess("host-a", 4242, Instant.parse("2025-01-02T03:04:05Z"));
        ClusterNodeRegistry registry = new ClusterNodeRegistry(jdbc, noAxon(),
                settings("", HEARTBEAT, NODE_TIMEOUT), process);
        registries.add(registry);

        assertThat(registry.nodeId()).isEqualTo("host-a-4242");
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT array_to_string(roles, ',') AS roles, array_length(processors, 1) AS processors, host, pid,
                       started_at, advertised_url, heartbeat_at > now() - interval '5 seconds' AS fresh
                FROM cluster_nodes WHERE node_id = 'host-a-4242'""");
        assertThat(row).containsEntry("roles", "api,worker").containsEntry("host", "host-a")
                .containsEntry("pid", 4242L).containsEntry("advertised_url", "http://10.0.0.7:8080")
                .containsEntry("fresh", true);
        assertThat(row.get("processors")).as("no processors before Axon is up").isNull();
        assertThat(((java.sql.Timestamp) row.get("started_at")).toInstant()).isEqualTo(process.startedAt());

        registry.destroy();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cluster_nodes", Integer.class)).isZero();
    }

    @Test
    void shouldPruneNodesAnHourPastTheirHeartbeatAndUnservedRequestsAfterAMinute() {
        segments("p", 2, "gone");
        otherNode("recently-dead", "5 minutes", "p");
        otherNode("gone", "61 minutes", "p");
        jdbc.update("""
                INSERT INTO cluster_segment_releases (processor_name, segment, requested_at, requested_by)
                VALUES ('p', 0, now() - interval '61 seconds', 'admin:test'), ('p', 1, now(), 'admin:test')""");

        registry("n1", HEARTBEAT, NODE_TIMEOUT);

        assertThat(jdbc.queryForList("SELECT node_id FROM cluster_nodes ORDER BY node_id", String.class))
                .containsExactly("n1", "recently-dead");
        assertThat(jdbc.queryForList("SELECT segment FROM cluster_segment_releases", Integer.class))
                .containsExactly(1);
    }

    @Test
    void shouldRefuseAnIdThatAnotherLiveProcessHeartbeats() {
        Duration heartbeat = Duration.ofMillis(200);
        Duration timeout = Duration.ofSeconds(2);
        otherNode("worker-1", "0 seconds");
        ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
        try {
            other.scheduleWithFixedDelay(() -> jdbc.update(
                    "UPDATE cluster_nodes SET heartbeat_at = now() WHERE node_id = 'worker-1'"),
                    0, 100, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> registry("worker-1", heartbeat, timeout))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'worker-1' is in use by a live process (elsewhere, pid 1)");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void shouldTakeOverTheIdOfAProcessThatStoppedHeartbeating() {
        otherNode("worker-1", "0 seconds");
        long started = System.nanoTime();
        ClusterNodeRegistry registry = registry("worker-1", Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the old row to go stale")
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(jdbc.queryForObject("SELECT pid FROM cluster_nodes WHERE node_id = 'worker-1'", Long.class))
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(registry.nodeId()).isEqualTo("worker-1");
    }

    private ClusterNodeRegistry registry(String nodeId, Duration heartbeat, Duration timeout) {
        ClusterNodeRegistry registry = new ClusterNodeRegistry(jdbc, noAxon(), settings(nodeId, heartbeat, timeout),
                LocalProcess.current());
        registries.add(registry);
        return registry;
    }

    private static ClusterSettings settings(String nodeId, Duration heartbeat, Duration timeout) {
        return new ClusterSettings(nodeId, 16, heartbeat, timeout, "http://10.0.0.7:8080", Duration.ofSeconds(30),
                List.of("api", "worker"));
    }

    private static ObjectProvider<EventProcessingConfiguration> noAxon() {
        return new StaticListableBeanFactory().getBeanProvider(EventProcessingConfiguration.class);
    }

    private static void segments(String processor, int count, String owner) {
        for (int segment = 0; segment < count; segment++) {
            jdbc.update("INSERT INTO token_entry (processor_name, segment, owner) VALUES (?, ?, ?)",
                    processor, segment, owner);
        }
    }

    /** A node as another process would have written it, last heard from {@code ago}. */
    private static void otherNode(String nodeId, String ago, String... processors) {
        jdbc.update("""
                INSERT INTO cluster_nodes (node_id, roles, processors, host, pid, started_at, heartbeat_at)
                VALUES (?, '{worker}', ?::text[], 'elsewhere', 1, now() - interval '2 hours', now() - ?::interval)""",
                nodeId, "{" + String.join(",", processors) + "}", ago);
    }

    private static void requestRelease(String processor, int segment) {
        jdbc.update("INSERT INTO cluster_segment_releases (processor_name, segment, requested_by) VALUES (?, ?, ?)",
                processor, segment, "admin:test");
    }

    private static DriverManagerDataSource dataSource(String url) {
        return new DriverManagerDataSource(url, admin.username(), admin.password() == null ? "" : admin.password());
    }
}
