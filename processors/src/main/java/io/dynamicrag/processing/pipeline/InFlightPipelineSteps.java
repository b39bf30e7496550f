package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import org.springframework.stereotype.Component;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The documents that have a pipeline step queued or running in this JVM. A long queue (one tenant's batch of
 * thousands) is not a stall: {@link StalledPipelineRecovery} leaves these documents alone and restarts only those
 * whose step this process does not hold, i.e. steps lost with a process that died.
 */
@Component
public class InFlightPipelineSteps {

    private final ConcurrentMap<UUID, AtomicInteger> steps = new ConcurrentHashMap<>();

    void started(DocumentId document) {
        steps.computeIfAbsent(document.value(), id -> new AtomicInteger()).incrementAndGet();
    }

    void finished(DocumentId document) {
        steps.computeIfPresent(document.value(), (id, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    boolean holds(UUID document) {
        return steps.containsKey(document);
    }
}
