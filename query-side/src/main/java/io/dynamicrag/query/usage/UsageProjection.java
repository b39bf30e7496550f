package io.dynamicrag.query.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.usage.api.event.UsageRecordedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.TreeMap;

/**
 * Fills {@code usage_metrics}, one row per recorded usage. Tracking, in the processor's transaction; the row's
 * {@code usage_id} makes a replayed event a no-op, and a reset empties the table for a rebuild.
 */
@Component
@ProcessingGroup(UsageProjection.PROCESSING_GROUP)
class UsageProjection {

    static final String PROCESSING_GROUP = "usage-projection";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    UsageProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UsageRecordedEvent event) {
        jdbc.update("""
                INSERT INTO usage_metrics (usage_id, customer_id, document_id, metric_type, metric_value, cost_usd,
                                           metadata, timestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (usage_id) DO NOTHING""",
                event.usageId(), event.tenantId().value(),
                event.documentId() == null ? null : event.documentId().value(), event.metricType().code(),
                event.quantity(), event.costUsd(), toJson(event), Timestamp.from(event.occurredAt()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE usage_metrics");
    }

    private String toJson(UsageRecordedEvent event) {
        try {
            return json.writeValueAsString(new TreeMap<>(event.details()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("usage details are not serialisable", e);
        }
    }
}
