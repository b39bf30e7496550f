package io.dynamicrag.kernel.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who caused a command and which request it belongs to, as it travels in the command's (and so its events')
 * metadata. The HTTP layer puts one into the Reactor context of every request (keyed by this class); whoever sends a
 * command for that request copies {@link #metaData()} onto it.
 *
 * <p>{@code actor} is {@code tenant:<id>}, {@code admin:<id>}, {@code webhook:<id>} or {@code anonymous} (sign-up);
 * events caused by the system (pipeline steps, recovery) carry no actor and read as {@link #SYSTEM}. Never an email,
 * a key or a token: events are permanent.
 */
public record AuditContext(String actor, String correlationId) {

    /** Metadata key of the actor. */
    public static final String ACTOR = "actor";
    /** Metadata key of the request's correlation id (kept by every message that follows from the request). */
    public static final String CORRELATION_ID = "correlation_id";
    public static final String SYSTEM = "system";

    public AuditContext {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(correlationId, "correlation id");
    }

    public Map<String, String> metaData() {
        Map<String, String> metaData = new LinkedHashMap<>();
        metaData.put(ACTOR, actor);
        metaData.put(CORRELATION_ID, correlationId);
        return metaData;
    }
}
