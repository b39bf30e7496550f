package io.dynamicrag.app.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The {@code rag.cluster.*} settings this node runs with (application.yml), and its roles.
 *
 * @param nodeId            configured id; blank: {@code <host>-<pid>}
 * @param segments          a processor's segments before it has any row in {@code token_entry}
 * @param heartbeatInterval how often this node records itself and refreshes its fair shares
 * @param nodeTimeout       a node silent this long is dead
 * @param advertisedUrl     where operators reach this node's HTTP port; blank: none
 * @param releaseWindow     how long a node stays away from a segment an operator made it release
 * @param roles             {@code api}, {@code worker} or both
 */
record ClusterSettings(String nodeId, int segments, Duration heartbeatInterval, Duration nodeTimeout,
                       String advertisedUrl, Duration releaseWindow, List<String> roles) {

    ClusterSettings {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("rag.cluster.heartbeat-interval must be positive: " + heartbeatInterval);
        }
        if (nodeTimeout.compareTo(heartbeatInterval) <= 0) {
            // a live node would flicker dead between two heartbeats and the others would grab its segments
            throw new IllegalArgumentException("rag.cluster.node-timeout (" + nodeTimeout
                    + ") must be longer than rag.cluster.heartbeat-interval (" + heartbeatInterval + ")");
        }
        nodeId = nodeId == null ? "" : nodeId.trim();
        advertisedUrl = advertisedUrl == null || advertisedUrl.isBlank() ? null : advertisedUrl.trim();
        roles = List.copyOf(roles);
    }
}
