package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sequences events by the tenant they name (every event record carries a {@code TenantId tenantId}: the audit
 * relies on it too), as the tenant's id string. A processor with this policy handles one tenant's events in order and
 * in one segment, so the node holding that segment is the only one handling that tenant: the basis of "one writer per
 * tenant index" ({@link LocalSegmentClaims#holds}). A payload without a tenant is not sequenced (it may run anywhere).
 */
public final class TenantSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    public static final TenantSequencingPolicy INSTANCE = new TenantSequencingPolicy();

    private final Map<Class<?>, Optional<RecordComponent>> tenantComponents = new ConcurrentHashMap<>();

    private TenantSequencingPolicy() {
    }

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Object payload = event.getPayload();
        return tenantComponents.computeIfAbsent(payload.getClass(), TenantSequencingPolicy::tenantComponent)
                .map(component -> read(component, payload))
                .map(TenantSequencingPolicy::sequenceOf)
                .orElse(null);
    }

    /** The sequence identifier of a tenant's events: what a segment is matched against. */
    public static String sequenceOf(TenantId tenant) {
        return tenant.toString();
    }

    private static Optional<RecordComponent> tenantComponent(Class<?> type) {
        if (!type.isRecord()) {
            return Optional.empty();
        }
        return Arrays.stream(type.getRecordComponents())
                .filter(c -> c.getName().equals("tenantId") && c.getType() == TenantId.class)
                .findFirst();
    }

    private static TenantId read(RecordComponent component, Object payload) {
        try {
            return (TenantId) component.getAccessor().invoke(payload);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the tenant of " + payload.getClass().getName(), e);
        }
    }
}
