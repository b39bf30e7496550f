package io.dynamicrag.app.metrics;

import io.dynamicrag.kernel.ingestion.api.command.StepDurations;
import io.dynamicrag.kernel.ingestion.api.event.DocumentChunkedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentParsedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentProcessingFailedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentReprocessingStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Pipeline figures for Prometheus, derived from the events so the pipeline code stays free of metrics: parse, chunk
 * and embed take the step's run time the event carries ({@link StepDurations}; their events are stored together, so
 * their timestamps say nothing about each step); an event without one (recorded step by step, before) and the index
 * stage take the time since the previous event of the same document version (for parse: the submission or the start
 * of a reprocessing run). The whole run is submission to indexing; embedding tokens and cost are counted per model,
 * failures per stage.
 *
 * <p>A tracking processor that starts at the head of the event store (see {@link MetricsConfiguration}): its token
 * is shared, so exactly one node counts each event, and a restart continues where it stopped instead of counting
 * history again. Summed over instances the figures are exact.
 */
@Component
@ProcessingGroup(PipelineMetrics.PROCESSING_GROUP)
class PipelineMetrics {

    static final String PROCESSING_GROUP = "pipeline-metrics";
    static final String STAGE_DURATION = "rag.pipeline.stage.duration";
    static final String DOCUMENT_DURATION = "rag.pipeline.document.duration";
    static final String FAILURES = "rag.pipeline.failures";
    static final String EMBEDDING_TOKENS = "rag.embedding.tokens";
    static final String EMBEDDING_COST = "rag.embedding.cost.usd";

    private static final String SUBMITTED = DocumentSubmittedEvent.class.getName();
    private static final String REPROCESSING = DocumentReprocessingStartedEvent.class.getName();

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;

    /** The pipeline's stage names; failure counters start at 0 so an alert sees "no failures", not "no data". */
    static final List<String> STAGES = List.of("parse", "chunk", "embed", "index");

    PipelineMetrics(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
        STAGES.forEach(this::failures);
    }

    @EventHandler
    void on(DocumentParsedEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(StepDurations.EVENT_KEY) Number micros) {
        recordStage("parse", event.documentId().toString(), event.version(), sequence, at, micros);
    }

    @EventHandler
    void on(DocumentChunkedEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(StepDurations.EVENT_KEY) Number micros) {
        recordStage("chunk", event.documentId().toString(), event.version(), sequence, at, micros);
    }

    @EventHandler
    void on(DocumentEmbeddedEvent event, @Timestamp Instant at, @SequenceNumber long sequence,
            @MetaDataValue(StepDurations.EVENT_KEY) Number micros) {
        recordStage("embed", event.documentId().toString(), event.version(), sequence, at, micros);
        String model = event.embeddingModel() == null ? "unknown" : event.embeddingModel();
        Counter.builder(EMBEDDING_TOKENS).description("Tokens sent to embedding models")
                .tag("model", model).register(meters).increment(event.tokens());
        Counter.builder(EMBEDDING_COST).description("Embedding cost in US dollars")
                .tag("model", model).register(meters).increment(event.costUsd().doubleValue());
    }

    @EventHandler
    void on(DocumentIndexedEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        List<Earlier> earlier = earlierEventsOfVersion(event.documentId().toString(), event.version(), sequence);
        record(STAGE_DURATION, "index", earlier.isEmpty() ? null : earlier.get(0).at(), at);
        earlier.stream()
                .filter(e -> e.type().equals(SUBMITTED) || e.type().equals(REPROCESSING))
                .findFirst()
                .ifPresent(start -> timer(DOCUMENT_DURATION, null).record(Duration.between(start.at(), at)));
    }

    @EventHandler
    void on(DocumentProcessingFailedEvent event) {
        failures(event.stage() == null ? "unknown" : event.stage()).increment();
    }

    private Counter failures(String stage) {
        return Counter.builder(FAILURES).description("Documents whose processing failed, by stage")
                .tag("stage", stage).register(meters);
    }

    private void recordStage(String stage, String document, int version, long sequence, Instant at, Number micros) {
        if (micros != null) {
            timer(STAGE_DURATION, stage).record(Duration.ofNanos(micros.longValue() * 1_000));
            return;
        }
        List<Earlier> earlier = earlierEventsOfVersion(document, version, sequence);
        record(STAGE_DURATION, stage, earlier.isEmpty() ? null : earlier.get(0).at(), at);
    }

    private void record(String name, String stage, Instant from, Instant to) {
        if (from != null && !to.isBefore(from)) {
            timer(name, stage).record(Duration.between(from, to));
        }
    }

    private Timer timer(String name, String stage) {
        Timer.Builder builder = Timer.builder(name)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(30));
        if (stage != null) {
            builder.tag("stage", stage).description("Duration of one pipeline stage of one document version");
        } else {
            builder.description("Submission (or reprocessing start) to indexed, per document version");
        }
        return builder.register(meters);
    }

    /** The document's events before this one that concern the same version, newest first. */
    private List<Earlier> earlierEventsOfVersion(String document, int version, long sequence) {
        return jdbc.query("""
                        SELECT payload_type, time_stamp FROM domain_event_entry
                        WHERE aggregate_identifier = ? AND sequence_number < ?
                          AND convert_from(payload, 'UTF8')::jsonb ->> 'version' = ?
                        ORDER BY sequence_number DESC""",
                (rs, i) -> new Earlier(rs.getString(1), Instant.parse(rs.getString(2))),
                document, sequence, Integer.toString(version));
    }

    private record Earlier(String type, Instant at) {
    }
}
