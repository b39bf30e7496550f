package io.dynamicrag.app.metrics;

import io.dynamicrag.query.search.SearchAdmission;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.function.ToDoubleFunction;

/**
 * The search pool of the API role ({@link SearchAdmission}): searches running and waiting, and the searches shed
 * with a 503 by reason. Sheds that keep growing mean the node needs more cores or more nodes (or a larger
 * {@code rag.search.threads} if the cores are idle).
 */
@Component
class SearchAdmissionMetrics {

    static final String ACTIVE = "rag.search.active";
    static final String QUEUED = "rag.search.queued";
    static final String SHED = "rag.search.shed";

    SearchAdmissionMetrics(MeterRegistry meters, ObjectProvider<SearchAdmission> admission) {
        admission.ifAvailable(searches -> register(meters, searches));
    }

    static void register(MeterRegistry meters, SearchAdmission searches) {
        Gauge.builder(ACTIVE, searches, SearchAdmission::active)
                .description("Searches running on the search pool (at most rag.search.threads)")
                .strongReference(true)
                .register(meters);
        Gauge.builder(QUEUED, searches, SearchAdmission::queued)
                .description("Searches waiting for a search thread (at most rag.search.queue)")
                .strongReference(true)
                .register(meters);
        shed(meters, searches, "queue_full", SearchAdmission::shedQueueFull);
        shed(meters, searches, "waited_too_long", SearchAdmission::shedWaited);
        shed(meters, searches, "timed_out", SearchAdmission::shedTimedOut);
    }

    private static void shed(MeterRegistry meters, SearchAdmission searches, String reason,
                             ToDoubleFunction<SearchAdmission> count) {
        FunctionCounter.builder(SHED, searches, count)
                .description("Searches answered 503 because this node was overloaded, by reason")
                .tag("reason", reason)
                .register(meters);
    }
}
