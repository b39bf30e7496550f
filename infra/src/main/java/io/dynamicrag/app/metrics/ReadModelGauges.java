package io.dynamicrag.app.metrics;

import io.dynamicrag.app.projections.ProcessorPositions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges read from the database: documents in each status (all tenants together: a tag per tenant would grow
 * without bound), dead letters per processing group, and each tracking processor's lag behind the event store's
 * head (in events). One snapshot of three small queries serves every gauge and is refreshed at most once per
 * {@code rag.metrics.database-gauges-ttl}, so a scrape costs no query per gauge and none at all when fresh.
 */
@Component
class ReadModelGauges {

    static final String DOCUMENTS = "rag.documents";
    static final String DEAD_LETTERS = "rag.dead.letters";
    static final String PROCESSOR_LAG = "rag.event.processor.lag";
    static final String EVENT_STORE_HEAD = "rag.event.store.head";

    private static final Logger log = LoggerFactory.getLogger(ReadModelGauges.class);
    private static final List<String> STATUSES = List.of("processing", "completed", "failed");

    private final JdbcTemplate jdbc;
    private final ProcessorPositions positions;
    private final MeterRegistry meters;
    private final Duration ttl;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), -1, 0);

    ReadModelGauges(JdbcTemplate jdbc, ProcessorPositions positions, MeterRegistry meters,
                    @Value("${rag.metrics.database-gauges-ttl:PT10S}") Duration ttl,
                    @Value("${rag.metrics.dead-letter-groups:document-projection}") List<String> deadLetterGroups,
                    @Value("${rag.metrics.lag-processors:document-projection,document-pipeline}")
                    List<String> lagProcessors) {
        this.jdbc = jdbc;
        this.positions = positions;
        this.meters = meters;
        this.ttl = ttl;
        STATUSES.forEach(this::registerStatus);
        deadLetterGroups.forEach(this::registerDeadLetters);
        lagProcessors.forEach(this::registerLag);
        Gauge.builder(EVENT_STORE_HEAD, this, g -> g.fresh().head())
                .description("Global index of the newest stored event").register(meters);
    }

    private record Snapshot(Map<String, Long> documents, Map<String, Long> deadLetters, Map<String, Long> positions,
                            long head, long takenAtMillis) {
    }

    private void registerStatus(String status) {
        if (registered.add("status:" + status)) {
            Gauge.builder(DOCUMENTS, this, g -> g.fresh().documents().getOrDefault(status, 0L))
                    .description("Documents in each status, all tenants").tag("status", status).register(meters);
        }
    }

    private void registerDeadLetters(String group) {
        if (registered.add("dlq:" + group)) {
            Gauge.builder(DEAD_LETTERS, this, g -> g.fresh().deadLetters().getOrDefault(group, 0L))
                    .description("Events waiting in a processor's dead-letter queue").tag("processor", group)
                    .register(meters);
        }
    }

    private void registerLag(String processor) {
        if (registered.add("lag:" + processor)) {
            Gauge.builder(PROCESSOR_LAG, this, g -> g.lag(processor))
                    .description("Events between the event store's head and the processor's position")
                    .tag("processor", processor).register(meters);
        }
    }

    private double lag(String processor) {
        Snapshot current = fresh();
        Long position = current.positions().get(processor);
        return Math.max(0, current.head() - (position == null ? -1 : position));
    }

    /** The snapshot, refreshed first when older than the TTL; new statuses and processors get their gauges. */
    private Snapshot fresh() {
        Snapshot current = snapshot;
        long now = clock.millis();
        if (now - current.takenAtMillis() < ttl.toMillis()) {
            return current;
        }
        synchronized (this) {
            if (snapshot != current) {
                return snapshot;
            }
            try {
                Map<String, Long> documents = counts("SELECT status, COUNT(*) FROM documents GROUP BY status");
                Map<String, Long> deadLetters = counts(
                        "SELECT processing_group, COUNT(*) FROM dead_letter_entry GROUP BY processing_group");
                Map<String, Long> tokenPositions = positions.positions();
                snapshot = new Snapshot(documents, deadLetters, tokenPositions, positions.head(), now);
                documents.keySet().forEach(this::registerStatus);
                deadLetters.keySet().forEach(this::registerDeadLetters);
                tokenPositions.keySet().forEach(this::registerLag);
            } catch (RuntimeException e) {
                // a scrape must not fail because the database is briefly unavailable: keep the last figures
                log.warn("Cannot refresh the database gauges: {}", e.toString());
                snapshot = new Snapshot(current.documents(), current.deadLetters(), current.positions(),
                        current.head(), now);
            }
            return snapshot;
        }
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query(sql, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }
}
