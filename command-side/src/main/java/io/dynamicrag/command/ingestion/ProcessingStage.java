package io.dynamicrag.command.ingestion;

enum ProcessingStage {
    SUBMITTED, PARSED, CHUNKED, EMBEDDED, INDEXED, FAILED;

    boolean isFinal() {
        return this == INDEXED || this == FAILED;
    }
}
