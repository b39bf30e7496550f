package io.dynamicrag.app.cluster;

import io.dynamicrag.app.projections.ProcessorPositions;
import io.dynamicrag.app.projections.ProcessorPositions.SegmentPosition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cluster as operators see it ({@code GET /api/admin/cluster}): the nodes with the segments each holds, and
 * every streaming processor's segments with their owner and progress. Everything is read from the database, so
 * any node gives the same answer.
 */
@Component
class ClusterOverview {

    private final JdbcTemplate jdbc;
    private final ProcessorPositions positions;
    private final ClusterNodeRegistry registry;
    private final Duration claimTimeout;

    ClusterOverview(JdbcTemplate jdbc, ProcessorPositions positions, ClusterNodeRegistry registry,
                    @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        this.jdbc = jdbc;
        this.positions = positions;
        this.registry = registry;
        this.claimTimeout = claimTimeout;
    }

    record Cluster(String nodeId, long claimTimeoutSeconds, List<Node> nodes, List<Processor> processors) {
    }

    /** {@code segments}: processor name -> the segments whose claim this node holds. */
    record Node(String nodeId, List<String> roles, List<String> processors, String advertisedUrl, String host,
                long pid, Instant startedAt, Instant heartbeatAt, boolean alive, Map<String, List<Integer>> segments) {
    }

    /** {@code lag}: the largest of its segments' lags (the events the slowest segment has still to look at). */
    record Processor(String name, int segmentsTotal, long head, long lag, List<Segment> segments) {
    }

    /** {@code position} null: nothing processed yet. {@code claimed_at}: the owner's last claim or extension. */
    record Segment(int segment, String owner, boolean ownerAlive, Long position, long lag, Instant claimedAt) {
    }

    Cluster read() {
        List<NodeRow> rows = nodes();
        Set<String> alive = rows.stream().filter(NodeRow::alive).map(NodeRow::nodeId).collect(Collectors.toSet());
        // tokens before the head, so no segment looks ahead of the store
        List<SegmentPosition> tokens = positions.segmentPositions();
        long head = positions.head();

        Map<String, List<Segment>> byProcessor = new TreeMap<>();
        Map<String, Map<String, List<Integer>>> byOwner = new HashMap<>();
        for (SegmentPosition token : tokens) {
            long lag = Math.max(0, head - token.position());
            boolean owned = token.owner() != null;
            byProcessor.computeIfAbsent(token.processor(), p -> new ArrayList<>()).add(new Segment(token.segment(),
                    token.owner(), owned && alive.contains(token.owner()),
                    token.position() < 0 ? null : token.position(), lag, owned ? token.claimedAt() : null));
            if (owned) {
                byOwner.computeIfAbsent(token.owner(), o -> new TreeMap<>())
                        .computeIfAbsent(token.processor(), p -> new ArrayList<>()).add(token.segment());
            }
        }
        List<Processor> processors = byProcessor.entrySet().stream()
                .map(e -> new Processor(e.getKey(), e.getValue().size(), head,
                        e.getValue().stream().mapToLong(Segment::lag).max().orElse(0), List.copyOf(e.getValue())))
                .toList();
        List<Node> nodes = rows.stream()
                .map(row -> new Node(row.nodeId(), row.roles(), row.processors(), row.advertisedUrl(), row.host(),
                        row.pid(), row.startedAt(), row.heartbeatAt(), row.alive(),
                        byOwner.getOrDefault(row.nodeId(), new LinkedHashMap<>())))
                .toList();
        return new Cluster(registry.nodeId(), claimTimeout.toSeconds(), nodes, processors);
    }

    private record NodeRow(String nodeId, List<String> roles, List<String> processors, String advertisedUrl,
                           String host, long pid, Instant startedAt, Instant heartbeatAt, boolean alive) {
    }

    /** Nodes heard from within the last hour (older rows are about to be pruned), alive or not. */
    private List<NodeRow> nodes() {
        double timeout = registry.settings().nodeTimeout().toMillis() / 1000.0;
        return jdbc.query("""
                SELECT node_id, roles, processors, advertised_url, host, pid, started_at, heartbeat_at,
                       heartbeat_at >= now() - make_interval(secs => ?) AS alive
                FROM cluster_nodes
                WHERE heartbeat_at >= now() - make_interval(secs => ?)
                ORDER BY node_id""",
                (rs, i) -> new NodeRow(rs.getString("node_id"), strings(rs.getArray("roles")),
                        strings(rs.getArray("processors")), rs.getString("advertised_url"), rs.getString("host"),
                        rs.getLong("pid"), rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("heartbeat_at").toInstant(), rs.getBoolean("alive")),
                timeout, (double) ClusterNodeRegistry.PRUNE_AFTER.toSeconds());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
