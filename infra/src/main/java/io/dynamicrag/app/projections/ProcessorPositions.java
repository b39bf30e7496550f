package io.dynamicrag.app.projections;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the event store's head is and how far each tracking processor has got, read from the database (not from
 * this node's processor threads), so every node reports the same figures whichever node owns a processor's token.
 * A processor's position is the lowest of its segments' positions.
 */
@Component
public class ProcessorPositions {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    public ProcessorPositions(JdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
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
        jdbc.query("SELECT processor_name, token, token_type FROM token_entry", rs -> {
            long position = position(rs.getBytes("token"), rs.getString("token_type"));
            positions.merge(rs.getString("processor_name"), position, Math::min);
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
        return jdbc.query("""
                SELECT processor_name, segment, owner, timestamp, token, token_type FROM token_entry
                ORDER BY processor_name, segment""",
                (rs, i) -> new SegmentPosition(rs.getString("processor_name"), rs.getInt("segment"),
                        rs.getString("owner"), instant(rs.getString("timestamp")),
                        position(rs.getBytes("token"), rs.getString("token_type"))));
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
