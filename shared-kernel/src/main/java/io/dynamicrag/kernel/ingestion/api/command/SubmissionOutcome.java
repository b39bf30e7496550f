package io.dynamicrag.kernel.ingestion.api.command;

/** What a submission did: a new version to process, or a duplicate of the latest one (nothing to do). */
public record SubmissionOutcome(int version, boolean duplicate) {
}
