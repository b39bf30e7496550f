package io.dynamicrag.app.cluster;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Configuration
class ClusterConfiguration {

    @Bean
    ClusterSettings clusterSettings(@Value("${rag.cluster.node-id:}") String nodeId,
                                    @Value("${rag.cluster.segments:16}") int segments,
                                    @Value("${rag.cluster.heartbeat-interval:PT2S}") Duration heartbeatInterval,
                                    @Value("${rag.cluster.node-timeout:PT10S}") Duration nodeTimeout,
                                    @Value("${rag.cluster.advertised-url:}") String advertisedUrl,
                                    @Value("${rag.cluster.release-window:PT30S}") Duration releaseWindow,
                                    @Value("${rag.roles.api:true}") boolean api,
                                    @Value("${rag.roles.worker:true}") boolean worker) {
        List<String> roles = new ArrayList<>();
        if (api) {
            roles.add("api");
        }
        if (worker) {
            roles.add("worker");
        }
        return new ClusterSettings(nodeId, segments, heartbeatInterval, nodeTimeout, advertisedUrl, releaseWindow,
                roles);
    }
}
