package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.usage.api.UsageMetric;
import io.dynamicrag.kernel.usage.api.command.RecordUsageCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Instant;
import java.util.Map;

/**
 * Meters embedding work that no pipeline event reports: re-embedding a tenant's documents after a model change, and
 * the index step embedding a version again because the model changed after its embed step. The pipeline's own
 * embedding is metered from {@code DocumentEmbeddedEvent}. Each record names its run (generation or event), so the
 * same run is counted once in a day's ledger however often its command is retried.
 */
final class EmbeddingUsage {

    private final CommandGateway commands;

    EmbeddingUsage(CommandGateway commands) {
        this.commands = commands;
    }

    void record(String run, TenantId tenant, DocumentId document, int version, String model,
                BatchEmbedding.Usage usage, String reason) {
        commands.sendAndWait(RecordUsageCommand.derived(run + ":" + document + ":" + version, tenant,
                UsageMetric.EMBEDDING_TOKENS, usage.tokens(), usage.cost(), document,
                Map.of("version", Integer.toString(version), "model", model, "reason", reason), Instant.now()));
    }
}
