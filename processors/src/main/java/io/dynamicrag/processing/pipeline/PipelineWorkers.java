package io.dynamicrag.processing.pipeline;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentChunkedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentEmbeddedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentParsedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentProcessedCommand;
import io.dynamicrag.kernel.ingestion.api.command.StepDurations;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.chunking.Chunkers;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.EmbeddingFailedException;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import io.dynamicrag.processing.fetch.HtmlMainContent;
import io.dynamicrag.processing.parsing.TikaDocumentParser;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.annotation.MessageHandlerTimeout;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pipeline steps parse, chunk and embed (writing the index is {@link TenantIndexWriter}'s), run back to back for
 * one document: the text and the chunks go from step to step in memory, and all three results are reported to the
 * Document aggregate in one command. Each step still writes its artefact to blob storage (parsed text, chunks,
 * vectors): the index step, re-embedding after a model change and a restart after a crash read them there. Every
 * step is idempotent: re-running it overwrites the same artefact keys and the aggregate ignores a report for a stage
 * it has already passed. A failure names its step ({@link StageFailedException}).
 *
 * <p>A step's time grows with its document (a 4 MB PDF is thousands of chunks to embed), so the steps are exempt
 * from Axon's default 30-second handler timeout, which cut large documents off with "internal error
 * (AxonTimeoutException)": {@link #STEP_TIME_LIMIT_MS} bounds them instead, together with the command bus's unit of
 * work limit ({@code axon.timeout.transaction.command-bus} in application.yml). A step that hangs is also found by
 * stall recovery long before that.
 */
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
@Component
class PipelineWorkers {

    /** The longest parse, chunk and embed of one document may run together: 30 minutes. */
    static final int STEP_TIME_LIMIT_MS = 30 * 60 * 1000;
    private static final int STEP_WARNING_MS = 60 * 1000;

    private static final String WEBPAGE = "webpage";

    private final PipelineArtefacts artefacts;
    private final TikaDocumentParser parser;
    private final TenantChunkingSettings chunking;
    private final TenantEmbedders embedders;
    private final TenantIndexSpaces spaces;
    private final CommandGateway commands;
    private final StepRetry retry;

    PipelineWorkers(PipelineArtefacts artefacts, TikaDocumentParser parser, TenantChunkingSettings chunking,
                    TenantEmbedders embedders, TenantIndexSpaces spaces, CommandGateway commands, StepRetry retry) {
        this.artefacts = artefacts;
        this.parser = parser;
        this.chunking = chunking;
        this.embedders = embedders;
        this.spaces = spaces;
        this.commands = commands;
        this.retry = retry;
    }

    @CommandHandler
    @MessageHandlerTimeout(timeoutMs = STEP_TIME_LIMIT_MS, warningThresholdMs = STEP_WARNING_MS,
            warningIntervalMs = STEP_WARNING_MS)
    void process(ProcessDocumentCommand command) {
        Map<String, Object> durations = new HashMap<>();
        Parsed parsed = stage("parse", durations, () -> parse(command));
        Chunked chunked = stage("chunk", durations, () -> chunk(command, parsed.text()));
        RecordDocumentEmbeddedCommand embedded = stage("embed", durations, () -> embed(command, chunked.chunks()));
        RecordDocumentProcessedCommand processed = new RecordDocumentProcessedCommand(command.documentId(),
                command.version(), parsed.record(), chunked.record(), embedded);
        // a failure to record is reported at the last step, as when each step recorded its own result
        stage("embed", new HashMap<>(), () -> commands.sendAndWait(
                GenericCommandMessage.asCommandMessage(processed).andMetaData(durations)));
    }

    private record Parsed(RecordDocumentParsedCommand record, String text) {
    }

    private record Chunked(RecordDocumentChunkedCommand record, List<Chunk> chunks) {
    }

    private Parsed parse(ProcessDocumentCommand command) {
        String key = BlobKeys.artefact(command.tenantId(), command.documentId(), command.version(), "parsed.txt");
        TikaDocumentParser.ParsedText parsed = retry.run("parse", () -> {
            // a scraped page keeps its main content only (no navigation, footer, cookie banner); other files
            // stream from storage into the parser
            TikaDocumentParser.ParsedText text = WEBPAGE.equals(command.docType())
                    ? new TikaDocumentParser.ParsedText(
                    HtmlMainContent.extract(artefacts.raw(command.rawBlobKey()), null, null).text(), null)
                    : parser.parse(artefacts.openRaw(command.rawBlobKey()), command.docType());
            if (text.text().isBlank()) {
                throw new PermanentStepException("no text could be extracted from the document");
            }
            artefacts.putText(key, text.text());
            return text;
        });
        return new Parsed(new RecordDocumentParsedCommand(command.documentId(), command.version(), key,
                parsed.text().length(), parsed.pageCount()), parsed.text());
    }

    private Chunked chunk(ProcessDocumentCommand command, String text) {
        TenantChunkingSettings.Settings settings = chunking.forTenant(command.tenantId());
        String key = BlobKeys.artefact(command.tenantId(), command.documentId(), command.version(), "chunks.json");
        List<Chunk> chunks = retry.run("chunk", () -> {
            List<Chunk> made = Chunkers.forName(settings.strategy()).chunk(text, settings.size(), settings.overlap());
            artefacts.putChunks(key, made);
            return made;
        });
        return new Chunked(new RecordDocumentChunkedCommand(command.documentId(), command.version(), key,
                chunks.size(), settings.size(), settings.overlap()), chunks);
    }

    private RecordDocumentEmbeddedCommand embed(ProcessDocumentCommand command, List<Chunk> chunks) {
        String key = BlobKeys.artefact(command.tenantId(), command.documentId(), command.version(),
                "vectors.bin");
        // the model search runs on now; should it change before the index step, that step embeds again
        IndexSpace space = spaces.serving(command.tenantId());
        BatchEmbedding.Usage usage = retry.run("embed", () -> {
            Embedder embedder = embedderFor(space);
            BatchEmbedding.Usage made = BatchEmbedding.embed(embedder, chunks);
            artefacts.putVectors(key, made.vectors(), embedder.dimensions());
            return made;
        });
        return new RecordDocumentEmbeddedCommand(command.documentId(), command.version(), key,
                space.embeddingModel(), space.dimensions(), usage.tokens(), usage.cost());
    }

    /** Runs one step and notes its duration; its failure names the step. */
    private static <T> T stage(String name, Map<String, Object> durations, Supplier<T> step) {
        long started = System.nanoTime();
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw new StageFailedException(name, e);
        } finally {
            durations.put(StepDurations.commandKey(name), (System.nanoTime() - started) / 1_000);
        }
    }

    /** The embedder of the generation's model; a refusal that retrying cannot fix (no key) fails at once. */
    private Embedder embedderFor(IndexSpace space) {
        try {
            return embedders.forModel(space.tenant(), space.embeddingModel());
        } catch (EmbeddingFailedException e) {
            throw BatchEmbedding.asStepFailure(e);
        }
    }
}
