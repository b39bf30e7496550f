package io.dynamicrag.app.cluster;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This process's row in {@code cluster_nodes} and its fair share of every processor's segments.
 *
 * <p>It registers at construction, before Axon exists (the token store is built with {@link #nodeId()}, and the
 * first claim cycle must already find this node counted), then a daemon thread heartbeats: it upserts the row (with
 * the streaming processors this node runs, once Axon is up), hands operator release requests for segments it owns
 * to its local processors, prunes what is stale, and reads what the shares are computed from. Axon's coordinator
 * asks {@link #maxClaimedSegments} on every claim cycle, so that answer comes from the last heartbeat's snapshot,
 * never from a query; when the database is unreachable the last snapshot stays.
 *
 * <p>Liveness is judged by the database's clock ({@code now()}), so the nodes' clocks need not agree.
 */
@Component
public class ClusterNodeRegistry implements ClusterMembership, DisposableBean {

    /** Dead nodes stay visible to operators this long after their last heartbeat. */
    static final Duration PRUNE_AFTER = Duration.ofHours(1);
    /** A release request whose segment's owner never picked it up (it died, or lost the claim) is dropped. */
    static final Duration UNHANDLED_RELEASE_TTL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(ClusterNodeRegistry.class);

    private final JdbcTemplate jdbc;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final ClusterSettings settings;
    private final LocalProcess process;
    private final String nodeId;
    private final ScheduledExecutorService heartbeats;
    /** Axon's processors exist only once the context is refreshed; asking for them earlier would create them. */
    private volatile boolean axonStarted;
    private volatile Shares shares = Shares.NONE;
    private volatile boolean lastHeartbeatFailed;

    @Autowired
    public ClusterNodeRegistry(JdbcTemplate jdbc, ObjectProvider<EventProcessingConfiguration> processing,
                               ClusterSettings settings) {
        this(jdbc, processing, settings, LocalProcess.current());
    }

    ClusterNodeRegistry(JdbcTemplate jdbc, ObjectProvider<EventProcessingConfiguration> processing,
                        ClusterSettings settings, LocalProcess process) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.settings = settings;
        this.process = process;
        this.nodeId = settings.nodeId().isEmpty() ? process.defaultNodeId() : settings.nodeId();
        refuseAnIdHeldByAnotherLiveProcess();
        heartbeat();
        log.info("Cluster node {} ({}) registered; heartbeat every {}, dead after {}", nodeId,
                String.join(",", settings.roles()), settings.heartbeatInterval(), settings.nodeTimeout());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public int maxClaimedSegments(String processorName) {
        return shares.maxClaimedSegments(processorName, settings.segments());
    }

    /** Live nodes at the last heartbeat, this one included. */
    public int liveNodes() {
        return shares.liveNodes();
    }

    ClusterSettings settings() {
        return settings;
    }

    @EventListener(ContextRefreshedEvent.class)
    void axonStarted() {
        axonStarted = true;
        // list this node's processors now rather than a heartbeat later, so the others count it at once
        heartbeats.execute(this::heartbeat);
    }

    /** One heartbeat; each step is independent, and none lets an exception out (the schedule must go on). */
    synchronized void heartbeat() {
        try {
            upsertSelf();
            releaseRequestedSegments();
            pruneStaleRows();
            shares = readShares();
            if (lastHeartbeatFailed) {
                log.info("Cluster heartbeat of {} works again", nodeId);
            }
            lastHeartbeatFailed = false;
        } catch (RuntimeException e) {
            if (!lastHeartbeatFailed) {
                // once per outage, not every interval
                log.warn("Cluster heartbeat of {} failed; keeping the last fair shares until it works again: {}",
                        nodeId, e.toString());
            }
            lastHeartbeatFailed = true;
        }
    }

    private void upsertSelf() {
        List<String> processors = localProcessors().keySet().stream().sorted().toList();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("""
                    INSERT INTO cluster_nodes (node_id, roles, processors, advertised_url, host, pid, started_at,
                                               heartbeat_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, now())
                    ON CONFLICT (node_id) DO UPDATE SET roles = EXCLUDED.roles, processors = EXCLUDED.processors,
                        advertised_url = EXCLUDED.advertised_url, host = EXCLUDED.host, pid = EXCLUDED.pid,
                        started_at = EXCLUDED.started_at, heartbeat_at = now()""");
            statement.setString(1, nodeId);
            statement.setArray(2, connection.createArrayOf("text", settings.roles().toArray()));
            statement.setArray(3, connection.createArrayOf("text", processors.toArray()));
            statement.setString(4, settings.advertisedUrl());
            statement.setString(5, process.host());
            statement.setLong(6, process.pid());
            statement.setTimestamp(7, Timestamp.from(process.startedAt()));
            return statement;
        });
    }

    /**
     * Pending requests for segments this node owns go to its local processor, which gives the segment up and
     * stays away from it for the release window; the request is then marked released (not deleted) so the other
     * nodes keep the room to take it for that window.
     */
    private void releaseRequestedSegments() {
        if (!axonStarted) {
            return;
        }
        Map<String, StreamingEventProcessor> local = localProcessors();
        record Request(String processor, int segment) {
        }
        List<Request> requests = jdbc.query("""
                SELECT r.processor_name, r.segment
                FROM cluster_segment_releases r
                JOIN token_entry t ON t.processor_name = r.processor_name AND t.segment = r.segment
                WHERE r.released_at IS NULL AND t.owner = ?""",
                (rs, i) -> new Request(rs.getString(1), rs.getInt(2)), nodeId);
        for (Request request : requests) {
            StreamingEventProcessor processor = local.get(request.processor());
            if (processor == null) {
                log.warn("Release of segment {} of {} requested, but {} runs no such processor: request dropped",
                        request.segment(), request.processor(), nodeId);
                jdbc.update("DELETE FROM cluster_segment_releases WHERE processor_name = ? AND segment = ?",
                        request.processor(), request.segment());
                continue;
            }
            processor.releaseSegment(request.segment(), settings.releaseWindow().toMillis(), TimeUnit.MILLISECONDS);
            jdbc.update("""
                    UPDATE cluster_segment_releases SET released_at = now(), released_by = ?
                    WHERE processor_name = ? AND segment = ? AND released_at IS NULL""",
                    nodeId, request.processor(), request.segment());
            log.info("Released segment {} of {} on request; not claiming it again for {}", request.segment(),
                    request.processor(), settings.releaseWindow());
        }
    }

    private void pruneStaleRows() {
        jdbc.update("DELETE FROM cluster_nodes WHERE heartbeat_at < now() - make_interval(secs => ?)",
                seconds(PRUNE_AFTER));
        jdbc.update("""
                DELETE FROM cluster_segment_releases
                WHERE (released_at IS NULL AND requested_at < now() - make_interval(secs => ?))
                   OR released_at < now() - make_interval(secs => ?)""",
                seconds(UNHANDLED_RELEASE_TTL), seconds(settings.releaseWindow()));
    }

    private Shares readShares() {
        double timeout = seconds(settings.nodeTimeout());
        Map<String, Integer> segments = counts(
                "SELECT processor_name, COUNT(*) FROM token_entry GROUP BY processor_name");
        Map<String, Integer> otherNodes = counts("""
                SELECT p, COUNT(*) FROM cluster_nodes, unnest(processors) AS p
                WHERE node_id <> ? AND heartbeat_at >= now() - make_interval(secs => ?)
                GROUP BY p""", nodeId, timeout);
        // a request not (yet) served by this node: the segment's owner, or the node that released it, is another
        Map<String, Integer> releasesElsewhere = counts("""
                SELECT r.processor_name, COUNT(*)
                FROM cluster_segment_releases r
                LEFT JOIN token_entry t ON t.processor_name = r.processor_name AND t.segment = r.segment
                WHERE COALESCE(r.released_by, t.owner) IS DISTINCT FROM ?
                GROUP BY r.processor_name""", nodeId);
        Integer others = jdbc.queryForObject("""
                SELECT COUNT(*) FROM cluster_nodes
                WHERE node_id <> ? AND heartbeat_at >= now() - make_interval(secs => ?)""",
                Integer.class, nodeId, timeout);
        return new Shares(segments, otherNodes, releasesElsewhere, 1 + (others == null ? 0 : others));
    }

    private Map<String, Integer> counts(String sql, Object... args) {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.query(sql, rs -> {
            counts.put(rs.getString(1), rs.getInt(2));
        }, args);
        return Map.copyOf(counts);
    }

    private Map<String, StreamingEventProcessor> localProcessors() {
        EventProcessingConfiguration configuration = axonStarted ? processing.getIfAvailable() : null;
        if (configuration == null) {
            return Map.of();
        }
        Map<String, StreamingEventProcessor> streaming = new HashMap<>();
        configuration.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor s) {
                streaming.put(name, s);
            }
        });
        return streaming;
    }

    /**
     * Two live processes with one id would both believe they hold the same claims and handle the same events.
     * A row under this id from another process is waited out while it may still be alive (a restart after a
     * crash finds its predecessor's row fresh for up to the node timeout); if its heartbeat moves meanwhile, another
     * process is using the id and this one must not start.
     */
    private void refuseAnIdHeldByAnotherLiveProcess() {
        record Holder(String host, long pid, Instant heartbeatAt, boolean alive) {
        }
        Instant firstSeen = null;
        long deadline = System.nanoTime() + settings.nodeTimeout().plus(settings.heartbeatInterval()).toNanos();
        while (System.nanoTime() < deadline) {
            List<Holder> holders = jdbc.query("""
                    SELECT host, pid, heartbeat_at, heartbeat_at >= now() - make_interval(secs => ?)
                    FROM cluster_nodes WHERE node_id = ?""",
                    (rs, i) -> new Holder(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                            rs.getBoolean(4)),
                    seconds(settings.nodeTimeout()), nodeId);
            if (holders.isEmpty() || !holders.get(0).alive()
                    || process.is(holders.get(0).host(), holders.get(0).pid())) {
                return;
            }
            Holder holder = holders.get(0);
            if (firstSeen != null && holder.heartbeatAt().isAfter(firstSeen)) {
                throw new IllegalStateException("Cluster node id '" + nodeId + "' is in use by a live process ("
                        + holder.host() + ", pid " + holder.pid() + "): give every process its own RAG_NODE_ID");
            }
            firstSeen = holder.heartbeatAt();
            log.info("Cluster node id {} was last seen on {} (pid {}) at {}: waiting to see whether it is still "
                    + "alive", nodeId, holder.host(), holder.pid(), holder.heartbeatAt());
            sleep(Math.max(100, settings.heartbeatInterval().toMillis() / 2));
        }
    }

    /** Graceful shutdown (after Axon has stopped and released its claims): the others need not wait it out. */
    @Override
    public void destroy() {
        heartbeats.shutdownNow();
        try {
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // only our own row: after a long pause the id may have passed to a new process
            jdbc.update("DELETE FROM cluster_nodes WHERE node_id = ? AND host = ? AND pid = ?",
                    nodeId, process.host(), process.pid());
            log.info("Cluster node {} left the cluster", nodeId);
        } catch (RuntimeException e) {
            log.warn("Cluster node {} could not remove its row (it expires after {}): {}", nodeId,
                    settings.nodeTimeout(), e.toString());
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the cluster node id", e);
        }
    }

    /** What one heartbeat read: the inputs of every processor's fair share. */
    private record Shares(Map<String, Integer> segments, Map<String, Integer> otherNodesRunning,
                          Map<String, Integer> releasesElsewhere, int liveNodes) {

        static final Shares NONE = new Shares(Map.of(), Map.of(), Map.of(), 1);

        int maxClaimedSegments(String processor, int defaultSegments) {
            if (processor == null) {
                return FairShare.maxClaimedSegments(defaultSegments, liveNodes, 0);
            }
            return FairShare.maxClaimedSegments(segments.getOrDefault(processor, defaultSegments),
                    1 + otherNodesRunning.getOrDefault(processor, 0), releasesElsewhere.getOrDefault(processor, 0));
        }
    }
}
