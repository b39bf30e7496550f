package io.dynamicrag.command.usage;

import io.dynamicrag.kernel.ingestion.api.event.DocumentEmbeddedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentIndexedEvent;
import io.dynamicrag.kernel.ingestion.api.event.DocumentSubmittedEvent;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns pipeline events into usage records: a submitted version stores its raw bytes (storage_bytes), an embedding
 * run spends tokens (embedding_tokens, at the model's price), an indexed version is a processed document
 * (document_processed). Each record is derived from its source event's id and time, so replaying this processor
 * (or retrying an event) sends the same record to the same ledger, which keeps only the first.
 */
@Component
@ProcessingGroup(UsageMetering.PROCESSING_GROUP)
class UsageMetering {

    static final String PROCESSING_GROUP = "usage-metering";

    private final CommandGateway commands;

    UsageMetering(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(DocumentSubmittedEvent event, EventMessage<?> message) {
        record(RecordUsageCommand.derived(message.getIdentifier(), event.tenantId(), UsageMetric.STORAGE_BYTES,
                event.sizeBytes(), BigDecimal.ZERO, event.documentId(),
                Map.of("version", Integer.toString(event.version()), "doc_type", String.valueOf(event.docType())),
                message.getTimestamp()));
    }

    @EventHandler
    void on(DocumentEmbeddedEvent event, EventMessage<?> message) {
        record(RecordUsageCommand.derived(message.getIdentifier(), event.tenantId(), UsageMetric.EMBEDDING_TOKENS,
                event.tokens(), event.costUsd(), event.documentId(),
                Map.of("version", Integer.toString(event.version()), "model", String.valueOf(event.embeddingModel())),
                message.getTimestamp()));
    }

    @EventHandler
    void on(DocumentIndexedEvent event, EventMessage<?> message) {
        record(RecordUsageCommand.derived(message.getIdentifier(), event.tenantId(), UsageMetric.DOCUMENT_PROCESSED,
                1, BigDecimal.ZERO, event.documentId(),
                Map.of("version", Integer.toString(event.version()), "chunk_count",
                        Integer.toString(event.chunkCount())),
                message.getTimestamp()));
    }

    private void record(RecordUsageCommand command) {
        commands.sendAndWait(command);
    }
}
