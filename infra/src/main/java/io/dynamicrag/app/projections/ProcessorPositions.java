package io.dynamicrag.app.projections;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the event store's head is and how far each tracking processor has got, read from the database (not from
 * this node's processor threads), so every node reports the same figures whichever node owns a processor's token.
 * A processor's position is the lowest of its segments' positions.
 *
 * <p>For the segments this node is processing, the live tracker's position is taken when it is further on than the
 * stored token. Axon stores the token of a segment that met only events it does not handle no sooner than at its next
 * claim extension (5 s), so while such events kept arriving the stored positions alone never reached the head and a
 * processor with nothing left to do was reported behind.
 */
@Component
public class ProcessorPositions {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    /** Looked up lazily: the processors' configuration is built after (and partly from) the beans that use this. */
    private final ObjectProvider<EventProcessingConfiguration> processing;

    public ProcessorPositions(JdbcTemplate jdbc, Serializer serializer,
                              ObjectProvider<EventProcessingConfiguration> processing) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
    }

    /** The global index of the newest stored event, -1 for an empty store. */
    public long head() {
        Long head = jdbc.queryForObject("SELECT COALESCE(MAX(global_index), -1) FROM domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }

    public OptionalLong position(String processor) {
        Long position = positions().get(processor);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /** Every processor that has a token row, with its position (-1 while it has processed nothing yet). */
    public Map<String, Long> positions() {
        Map<String, Long> positions = new HashMap<>();
        Map<String, Map<Integer, EventTrackerStatus>> live = new HashMap<>();
        jdbc.query("SELECT processor_name, segment, token, token_type FROM token_entry", rs -> {
            String processor = rs.getString("processor_name");
            long stored = position(rs.getBytes("token"), rs.getString("token_type"));
            long position = freshest(live.computeIfAbsent(processor, this::liveStatus), rs.getInt("segment"), stored);
            positions.merge(processor, position, Math::min);
        });
        return positions;
    }

    /**
     * One row of {@code token_entry}: a segment of a processor, the node holding its claim (null: nobody) and since
     * when (Axon writes the time of every claim and claim extension), and its position (-1: nothing processed yet).
     */
    public record SegmentPosition(String processor, int segment, String owner, Instant claimedAt, long position) {
    }

    /** Every segment of every processor that has token rows, ordered by processor and segment. */
    public List<SegmentPosition> segmentPositions() {
        Map<String, Map<Integer, EventTrackerStatus>> live = new HashMap<>();
        return jdbc.query("""
                SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
                ORDER BY processor_name, segment""",
                (rs, i) -> {
                    String processor = rs.getString("processor_name");
                    int segment = rs.getInt("segment");
                    long stored = position(rs.getBytes("token"), rs.getString("token_type"));
                    return new SegmentPosition(processor, segment, rs.getString("owner"),
                            instant(rs.getString("timestamp")),
                            freshest(live.computeIfAbsent(processor, this::liveStatus), segment, stored));
                });
    }

    /** The segments of the processor this node is working on, by segment id; empty where it works on none. */
    private Map<Integer, EventTrackerStatus> liveStatus(String processor) {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration == null) {
            return Map.of();
        }
        Optional<StreamingEventProcessor> streaming =
                configuration.eventProcessor(processor, StreamingEventProcessor.class);
        return streaming.filter(StreamingEventProcessor::isRunning)
                .map(StreamingEventProcessor::processingStatus)
                .orElse(Map.of());
    }

    private static long freshest(Map<Integer, EventTrackerStatus> live, int segment, long stored) {
        EventTrackerStatus status = live.get(segment);
        if (status == null || status.isErrorState()) {
            return stored;
        }
        return Math.max(stored, status.getCurrentPosition().orElse(-1));
    }

    private static Instant instant(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private long position(byte[] token, String type) {
        if (token == null || type == null) {
            return -1;
        }
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return tracking == null ? -1 : tracking.position().orElse(-1);
    }
}
