package io.dynamicrag.app.cluster;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import java.util.List;

/**
 * An operator's request that a segment's owner give it up, so another node takes it (a node that is slow, about
 * to be drained, or holding more than it should). The request only goes into {@code cluster_segment_releases}:
 * the owner acts on it at its next heartbeat ({@link ClusterNodeRegistry}), whichever node took the request.
 */
@Component
class SegmentReleases {

    private final JdbcTemplate jdbc;
    private final ClusterNodeRegistry registry;

    SegmentReleases(JdbcTemplate jdbc, ClusterNodeRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    record ReleaseRequested(String processor, int segment, String owner, String status) {
    }

    ReleaseRequested request(String processor, int segment, String requestedBy) {
        String owner = ownerOf(processor, segment);
        if (owner == null) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Segment " + segment + " of '" + processor
                    + "' is not claimed by any node: there is nothing to release");
        }
        if (!isAlive(owner)) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "Segment " + segment + " of '" + processor
                    + "' is claimed by '" + owner + "', which is not a live node: its claim lapses by itself after "
                    + "the claim timeout");
        }
        // a repeated request starts over, also after an earlier release of the same segment has been served
        jdbc.update("""
                INSERT INTO cluster_segment_releases (processor_name, segment, requested_at, requested_by)
                VALUES (?, ?, now(), ?)
                ON CONFLICT (processor_name, segment) DO UPDATE SET requested_at = now(),
                    requested_by = EXCLUDED.requested_by, released_at = NULL, released_by = NULL""",
                processor, segment, requestedBy);
        return new ReleaseRequested(processor, segment, owner, "requested");
    }

    /** The segment's owner (null when unclaimed); 404 when the processor or the segment has no token row. */
    private String ownerOf(String processor, int segment) {
        List<String> owners = jdbc.query(
                "SELECT owner FROM token_entry WHERE processor_name = ? AND segment = ?",
                (rs, i) -> rs.getString(1), processor, segment);
        if (!owners.isEmpty()) {
            return owners.get(0);
        }
        List<Integer> segments = jdbc.queryForList(
                "SELECT segment FROM token_entry WHERE processor_name = ? ORDER BY segment", Integer.class, processor);
        if (segments.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No event processor '" + processor
                    + "' has segments (GET /api/admin/cluster lists the processors)");
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "'" + processor + "' has no segment " + segment
                + " (its segments: " + segments + ")");
    }

    private boolean isAlive(String node) {
        Boolean alive = jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM cluster_nodes
                               WHERE node_id = ? AND heartbeat_at >= now() - make_interval(secs => ?))""",
                Boolean.class, node, registry.settings().nodeTimeout().toMillis() / 1000.0);
        return Boolean.TRUE.equals(alive);
    }
}
