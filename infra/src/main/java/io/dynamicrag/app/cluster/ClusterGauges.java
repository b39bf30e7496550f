package io.dynamicrag.app.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code rag_cluster_nodes_alive}: the live nodes this node counted at its last heartbeat (itself included). Every
 * node reports it, so a node that disagrees with the others (a partition, a stuck heartbeat) stands out.
 */
@Component
class ClusterGauges {

    static final String NODES_ALIVE = "rag.cluster.nodes.alive";

    ClusterGauges(MeterRegistry meters, ClusterNodeRegistry registry) {
        Gauge.builder(NODES_ALIVE, registry, ClusterNodeRegistry::liveNodes)
                .description("Live cluster nodes (heartbeat within rag.cluster.node-timeout), this one included")
                .register(meters);
    }
}
