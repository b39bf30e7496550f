package io.dynamicrag.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.PrometheusText;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/admin/cluster and segment releases, on the one node the test context runs. */
class ClusterAdminIntegrationTest extends IntegrationTest {

    private static final String PROCESSOR = "document-projection";

    @Autowired
    private ClusterMembership membership;
    @Autowired
    private EventProcessingConfiguration processing;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void listsThisNodeWithTheSegmentsItHolds() {
        String admin = adminToken();
        String nodeId = membership.nodeId();
        // claims are made by Axon's threads after start-up, and the node lists its processors once Axon is up
        JsonNode cluster = await("this node holding segments of " + PROCESSOR, () -> cluster(admin),
                c -> node(c, nodeId) != null && node(c, nodeId).get("segments").has(PROCESSOR)
                        && contains(node(c, nodeId).get("processors"), PROCESSOR));

        assertThat(cluster.get("node_id").asText()).isEqualTo(nodeId);
        assertThat(cluster.get("claim_timeout_seconds").asLong()).isEqualTo(10);
        JsonNode self = node(cluster, nodeId);
        assertThat(self.get("alive").asBoolean()).isTrue();
        assertThat(texts(self.get("roles"))).containsExactly("api", "worker");
        assertThat(self.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(self.get("started_at").asText()).isNotBlank();
        assertThat(self.get("heartbeat_at").asText()).isNotBlank();

        int rows = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?", Integer.class,
                PROCESSOR);
        JsonNode processor = processor(cluster, PROCESSOR);
        assertThat(processor.get("segments_total").asInt()).isEqualTo(rows).isPositive();
        assertThat(processor.get("segments")).hasSize(rows);
        assertThat(processor.get("head").asLong()).isGreaterThanOrEqualTo(-1);
        long maxLag = 0;
        List<Integer> ownedHere = new ArrayList<>();
        for (JsonNode segment : processor.get("segments")) {
            maxLag = Math.max(maxLag, segment.get("lag").asLong());
            if (nodeId.equals(segment.get("owner").asText(null))) {
                ownedHere.add(segment.get("segment").asInt());
                assertThat(segment.get("owner_alive").asBoolean()).isTrue();
                assertThat(segment.get("claimed_at").asText()).isNotBlank();
            }
        }
        assertThat(processor.get("lag").asLong()).isEqualTo(maxLag);
        // the node's own list and the processor's owners agree (one node: it holds what it may, up to all)
        assertThat(ints(self.get("segments").get(PROCESSOR))).isEqualTo(ownedHere).isNotEmpty();
        assertThat(ownedHere.size()).isLessThanOrEqualTo(membership.maxClaimedSegments(PROCESSOR));
    }

    @Test
    void deadNodesStayListedUntilAnHourPastTheirLastHeartbeat() {
        jdbc.update("""
                INSERT INTO cluster_nodes (node_id, roles, processors, host, pid, started_at, heartbeat_at)
                VALUES ('crashed-worker', '{worker}', '{document-pipeline}', 'elsewhere', 7, now() - interval '1 hour',
                        now() - interval '5 minutes'),
                       ('long-gone', '{worker}', '{document-pipeline}', 'elsewhere', 8, now() - interval '3 hours',
                        now() - interval '2 hours')""");
        try {
            JsonNode cluster = cluster(adminToken());
            JsonNode crashed = node(cluster, "crashed-worker");
            assertThat(crashed).isNotNull();
            assertThat(crashed.get("alive").asBoolean()).isFalse();
            assertThat(node(cluster, "long-gone")).isNull();
            // and the heartbeat prunes it
            await("long-gone pruned", () -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM cluster_nodes WHERE node_id = 'long-gone'", Integer.class), n -> n == 0);
        } finally {
            jdbc.update("DELETE FROM cluster_nodes WHERE node_id IN ('crashed-worker', 'long-gone')");
        }
    }

    @Test
    void prometheusCountsTheLiveNodes() {
        // another live node, running no processor (so this node's shares stay whole), and a dead one
        jdbc.update("""
                INSERT INTO cluster_nodes (node_id, roles, processors, host, pid, started_at, heartbeat_at)
                VALUES ('api-elsewhere', '{api}', '{}', 'elsewhere', 9, now(), now() + interval '1 minute'),
                       ('crashed-api', '{api}', '{}', 'elsewhere', 10, now(), now() - interval '1 minute')""");
        try {
            await("two live nodes in the scrape", () -> new PrometheusText(http.get().uri("/actuator/prometheus")
                            .exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                            .getResponseBody()).sum("rag_cluster_nodes_alive"),
                    alive -> alive == 2.0);
        } finally {
            jdbc.update("DELETE FROM cluster_nodes WHERE node_id IN ('api-elsewhere', 'crashed-api')");
        }
        await("one live node in the scrape", () -> new PrometheusText(http.get().uri("/actuator/prometheus")
                        .exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                        .getResponseBody()).sum("rag_cluster_nodes_alive"),
                alive -> alive == 1.0);
    }

    @Test
    void onlyAdminsSeeOrChangeTheCluster() {
        Tenant tenant = signUp();
        http.get().uri("/api/admin/cluster").header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isForbidden();
        http.post().uri("/api/admin/cluster/processors/{p}/segments/0/release", PROCESSOR)
                .header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/admin/cluster").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void unknownProcessorsAndSegmentsAreNotFound() {
        String admin = adminToken();
        http.post().uri("/api/admin/cluster/processors/no-such-processor/segments/0/release")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("no-such-processor"));
        http.post().uri("/api/admin/cluster/processors/{p}/segments/4096/release", PROCESSOR)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("has no segment 4096"));
        http.post().uri("/api/admin/cluster/processors/{p}/segments/first/release", PROCESSOR)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void releasingASegmentMakesItsOwnerGiveItUpForTheReleaseWindow() {
        String admin = adminToken();
        String nodeId = membership.nodeId();
        StreamingEventProcessor local = processing.eventProcessor(PROCESSOR, StreamingEventProcessor.class)
                .orElseThrow();
        int segment = await("a segment of " + PROCESSOR + " held here",
                () -> jdbc.queryForList("SELECT segment FROM token_entry WHERE processor_name = ? AND owner = ? "
                        + "ORDER BY segment", Integer.class, PROCESSOR, nodeId),
                held -> !held.isEmpty()).get(0);
        assertThat(local.processingStatus()).containsKey(segment);

        JsonNode accepted = http.post().uri("/api/admin/cluster/processors/{p}/segments/{s}/release", PROCESSOR, segment)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(accepted.get("processor").asText()).isEqualTo(PROCESSOR);
        assertThat(accepted.get("segment").asInt()).isEqualTo(segment);
        assertThat(accepted.get("owner").asText()).isEqualTo(nodeId);
        assertThat(accepted.get("status").asText()).isEqualTo("requested");

        // the next heartbeat hands the request to the processor, which drops the segment and its claim
        await("segment " + segment + " released", () -> owner(segment),
                owner -> owner == null && !local.processingStatus().containsKey(segment));
        assertThat(jdbc.queryForObject("""
                SELECT released_by FROM cluster_segment_releases WHERE processor_name = ? AND segment = ?""",
                String.class, PROCESSOR, segment)).isEqualTo(nodeId);
        JsonNode released = segmentOf(cluster(admin), segment);
        assertThat(released.get("owner").isNull()).isTrue();
        assertThat(released.get("owner_alive").asBoolean()).isFalse();
        assertThat(released.get("claimed_at").isNull()).isTrue();

        // nobody holds it now: nothing to release
        http.post().uri("/api/admin/cluster/processors/{p}/segments/{s}/release", PROCESSOR, segment)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("not claimed by any node"));

        // no other node wants it: after the release window (30 s) this node claims it again
        await("segment " + segment + " claimed again", () -> owner(segment),
                owner -> nodeId.equals(owner) && local.processingStatus().containsKey(segment),
                Duration.ofSeconds(90));
    }

    @Test
    void aSegmentHeldByADeadNodeCannotBeReleased() {
        jdbc.update("""
                INSERT INTO token_entry (processor_name, segment, owner, timestamp)
                VALUES ('cluster-test-orphan', 0, 'crashed-node', '2025-01-01T00:00:00Z')""");
        try {
            http.post().uri("/api/admin/cluster/processors/cluster-test-orphan/segments/0/release")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken())
                    .exchange().expectStatus().isEqualTo(409)
                    .expectBody().jsonPath("$.detail").value(detail ->
                            assertThat((String) detail).contains("'crashed-node', which is not a live node"));
        } finally {
            jdbc.update("DELETE FROM token_entry WHERE processor_name = 'cluster-test-orphan'");
        }
    }

    private String owner(int segment) {
        return jdbc.queryForObject("SELECT owner FROM token_entry WHERE processor_name = ? AND segment = ?",
                String.class, PROCESSOR, segment);
    }

    private JsonNode cluster(String admin) {
        return http.get().uri("/api/admin/cluster").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static JsonNode node(JsonNode cluster, String nodeId) {
        for (JsonNode node : cluster.get("nodes")) {
            if (nodeId.equals(node.get("node_id").asText())) {
                return node;
            }
        }
        return null;
    }

    private static JsonNode processor(JsonNode cluster, String name) {
        for (JsonNode processor : cluster.get("processors")) {
            if (name.equals(processor.get("name").asText())) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name + " in " + cluster);
    }

    private static JsonNode segmentOf(JsonNode cluster, int segment) {
        for (JsonNode s : processor(cluster, PROCESSOR).get("segments")) {
            if (s.get("segment").asInt() == segment) {
                return s;
            }
        }
        throw new AssertionError("no segment " + segment + " of " + PROCESSOR + " in " + cluster);
    }

    private static boolean contains(JsonNode array, String value) {
        return array != null && texts(array).contains(value);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    private static <T> T await(String what, Supplier<T> read, Predicate<T> done) {
        return await(what, read, done, Duration.ofSeconds(30));
    }

    private static <T> T await(String what, Supplier<T> read, Predicate<T> done, Duration timeout) {
        return awaitValue(what, timeout, Duration.ofMillis(200), read::get, done);
    }
}
