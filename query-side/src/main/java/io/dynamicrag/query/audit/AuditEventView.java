package io.dynamicrag.query.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One stored event as an auditor sees it. {@code payload} is the event exactly as stored (Axon's JSON, camelCase
 * field names); {@code version} is the document version the event is about (null for non-document events);
 * {@code actor} and {@code correlation_id} come from the event's metadata ({@code system} when no request caused
 * it; the correlation id falls back to Axon's trace id for events written before request correlation existed).
 */
record AuditEventView(long globalIndex, String eventId, String type, String payloadType, String revision,
                      String aggregateType, String aggregateId, long sequenceNumber, Integer version,
                      Instant occurredAt, String actor, String correlationId, JsonNode payload) {
}
