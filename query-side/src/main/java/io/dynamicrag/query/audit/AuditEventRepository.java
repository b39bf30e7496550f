package io.dynamicrag.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.audit.AuditContext;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

import java.time.Instant;

/**
 * Reads the event store ({@code domain_event_entry}) for auditors. Every read is scoped by the row's
 * {@code tenant_id}, which a trigger fills from the payload when the event is written (Flyway V12), so a tenant
 * never sees another tenant's event whatever id it asks for.
 */
@Repository
class AuditEventRepository {

    private static final String COLUMNS = """
            global_index, event_identifier, payload_type, payload_revision, type, aggregate_identifier,
            sequence_number, time_stamp, convert_from(payload, 'UTF8') AS payload,
            convert_from(meta_data, 'UTF8') AS meta_data""";

    private final DatabaseClient db;
    private final ObjectMapper json = new ObjectMapper();

    AuditEventRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The document's events in the order they happened (aggregate sequence). Empty: not this tenant's document. */
    Flux<AuditEventView> documentHistory(TenantId tenant, DocumentId document) {
        return db.sql("SELECT " + COLUMNS + """
                         FROM domain_event_entry
                        WHERE aggregate_identifier = :document AND tenant_id = :tenant
                        ORDER BY sequence_number""")
                .bind("document", document.toString())
                .bind("tenant", tenant.value())
                .map(this::view)
                .all();
    }

    /** Up to {@code limit} of the tenant's events after {@code afterGlobalIndex}, in global (commit) order. */
    Flux<AuditEventView> tenantEvents(TenantId tenant, long afterGlobalIndex, int limit) {
        return db.sql("SELECT " + COLUMNS + """
                         FROM domain_event_entry
                        WHERE tenant_id = :tenant AND global_index > :after
                        ORDER BY global_index
                        LIMIT :limit""")
                .bind("tenant", tenant.value())
                .bind("after", afterGlobalIndex)
                .bind("limit", limit)
                .map(this::view)
                .all();
    }

    private AuditEventView view(Readable row) {
        String payloadType = row.get("payload_type", String.class);
        JsonNode payload = parse(row.get("payload", String.class));
        JsonNode metaData = parse(row.get("meta_data", String.class));
        return new AuditEventView(
                row.get("global_index", Long.class),
                row.get("event_identifier", String.class),
                payloadType.substring(payloadType.lastIndexOf('.') + 1),
                payloadType,
                row.get("payload_revision", String.class),
                row.get("type", String.class),
                row.get("aggregate_identifier", String.class),
                row.get("sequence_number", Long.class),
                documentVersion(payload),
                Instant.parse(row.get("time_stamp", String.class)),
                text(metaData, AuditContext.ACTOR, AuditContext.SYSTEM),
                text(metaData, AuditContext.CORRELATION_ID, text(metaData, "traceId", null)),
                payload);
    }

    /** Document events name their version as {@code version}, a deletion as {@code lastVersion}. */
    private static Integer documentVersion(JsonNode payload) {
        for (String field : new String[] {"version", "lastVersion"}) {
            JsonNode value = payload.get(field);
            if (value != null && value.canConvertToInt()) {
                return value.asInt();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : fallback;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            // not JSON (never written by this product's serializer): show it as stored rather than fail the page
            return json.getNodeFactory().textNode(text);
        }
    }
}
