package io.dynamicrag.app.metrics;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineMetricsTest {

    @Test
    void aStepsOwnRunTimeIsTimedWithoutLookingAtEarlierEvents() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // no database: an event that carries its run time needs none
        PipelineMetrics metrics = new PipelineMetrics(null, meters);
        // JSON metadata comes back as an Integer when the value is small
        metrics.on(new DocumentChunkedEvent(DocumentId.random(), TenantId.random(), 1, "chunks", 3, 1000, 200),
                Instant.now(), 2, Integer.valueOf(1500));
        Timer chunk = meters.get(PipelineMetrics.STAGE_DURATION).tag("stage", "chunk").timer();
        assertThat(chunk.count()).isEqualTo(1);
        assertThat(chunk.totalTime(TimeUnit.MICROSECONDS)).isEqualTo(1500);
    }
}
