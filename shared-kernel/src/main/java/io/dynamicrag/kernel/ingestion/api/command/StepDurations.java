package io.dynamicrag.kernel.ingestion.api.command;

import org.axonframework.messaging.MetaData;

import java.util.Map;

/**
 * How long a pipeline step ran, in microseconds (chunking a short text takes less than a millisecond), carried as
 * message metadata (operational figures, not part of the document's history): the worker puts each step's on
 * {@link RecordDocumentProcessedCommand} as {@code <stage>_duration_us}, and the Document aggregate puts the step's
 * own on the event recording it as {@value #EVENT_KEY}. The events of steps that ran back to back share one timestamp, so the time between events no
 * longer says how long each step took.
 */
public final class StepDurations {

    public static final String EVENT_KEY = "step_duration_us";

    private StepDurations() {
    }

    public static String commandKey(String stage) {
        return stage + "_duration_us";
    }

    /** The metadata for the event of {@code stage}: its duration when the command carried one, else nothing. */
    public static MetaData forEvent(MetaData command, String stage) {
        Object micros = command.get(commandKey(stage));
        return micros instanceof Number number && number.longValue() >= 0
                ? MetaData.from(Map.of(EVENT_KEY, number.longValue()))
                : MetaData.emptyInstance();
    }
}
