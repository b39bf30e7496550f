package io.dynamicrag.processing.pipeline;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentChunkedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentEmbeddedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentIndexedCommand;
import io.dynamicrag.kernel.ingestion.api.command.RecordDocumentParsedCommand;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.processing.chunking.Chunk;
import io.dynamicrag.processing.chunking.Chunkers;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.EmbeddingResult;
import io.dynamicrag.processing.fetch.HtmlMainContent;
import io.dynamicrag.processing.index.IndexUnavailableException;
import io.dynamicrag.processing.index.IndexedChunk;
import io.dynamicrag.processing.index.TenantChunkIndex;
import io.dynamicrag.processing.parsing.TikaDocumentParser;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The four pipeline steps. Each reads its input from blob storage, writes its output there, and reports the result
 * to the Document aggregate. Every step is idempotent: re-running it overwrites the same artefact keys and the
 * aggregate ignores a report for a stage it has already passed.
 */
@ConditionalOnProperty(name = "rag.roles.worker", havingValue = "true", matchIfMissing = true)
@Component
class PipelineWorkers {

    private static final Logger log = LoggerFactory.getLogger(PipelineWorkers.class);
    private static final int EMBEDDING_BATCH = 32;
    private static final String WEBPAGE = "webpage";

    private final PipelineArtefacts artefacts;
    private final TikaDocumentParser parser;
    private final TenantChunkingSettings chunking;
    private final Embedder embedder;
    private final TenantChunkIndex index;
    private final CommandGateway commands;
    private final StepRetry retry;

    PipelineWorkers(PipelineArtefacts artefacts, TikaDocumentParser parser, TenantChunkingSettings chunking,
                    Embedder embedder, TenantChunkIndex index, CommandGateway commands, StepRetry retry) {
        this.artefacts = artefacts;
        this.parser = parser;
        this.chunking = chunking;
        this.embedder = embedder;
        this.index = index;
        this.commands = commands;
        this.retry = retry;
    }

    @CommandHandler
    void parse(ParseDocumentCommand command) {
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
        commands.sendAndWait(new RecordDocumentParsedCommand(command.documentId(), command.version(), key,
                parsed.text().length(), parsed.pageCount()));
    }

    @CommandHandler
    void chunk(ChunkDocumentCommand command) {
        TenantChunkingSettings.Settings settings = chunking.forTenant(command.tenantId());
        String key = BlobKeys.artefact(command.tenantId(), command.documentId(), command.version(), "chunks.json");
        List<Chunk> chunks = retry.run("chunk", () -> {
            List<Chunk> made = Chunkers.forName(settings.strategy())
                    .chunk(artefacts.text(command.parsedBlobKey()), settings.size(), settings.overlap());
            artefacts.putChunks(key, made);
            return made;
        });
        commands.sendAndWait(new RecordDocumentChunkedCommand(command.documentId(), command.version(), key,
                chunks.size(), settings.size(), settings.overlap()));
    }

    @CommandHandler
    void embed(EmbedChunksCommand command) {
        String key = BlobKeys.artefact(command.tenantId(), command.documentId(), command.version(),
                "vectors.bin");
        Usage usage = retry.run("embed", () -> {
            List<Chunk> chunks = artefacts.chunks(command.chunksBlobKey());
            List<float[]> vectors = new ArrayList<>(chunks.size());
            long tokens = 0;
            BigDecimal cost = BigDecimal.ZERO;
            for (int from = 0; from < chunks.size(); from += EMBEDDING_BATCH) {
                List<String> batch = chunks.subList(from, Math.min(from + EMBEDDING_BATCH, chunks.size()))
                        .stream().map(Chunk::text).toList();
                EmbeddingResult result = embedder.embedWithUsage(batch);
                vectors.addAll(result.vectors());
                tokens += result.tokens();
                cost = cost.add(result.cost());
            }
            artefacts.putVectors(key, vectors, embedder.dimensions());
            return new Usage(tokens, cost);
        });
        commands.sendAndWait(new RecordDocumentEmbeddedCommand(command.documentId(), command.version(), key,
                embedder.modelName(), embedder.dimensions(), usage.tokens(), usage.cost()));
    }

    /** Tokens the embedding model billed (or would bill) for a document, and their price. */
    private record Usage(long tokens, BigDecimal cost) {
    }

    @CommandHandler
    void index(IndexChunksCommand command) {
        List<Chunk> chunks = artefacts.chunks(command.chunksBlobKey());
        List<float[]> vectors = artefacts.vectors(command.embeddingsBlobKey());
        if (chunks.size() != vectors.size()) {
            throw new PermanentStepException("chunks and vectors do not match (" + chunks.size() + " vs "
                    + vectors.size() + ")");
        }
        List<IndexedChunk> rows = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            rows.add(new IndexedChunk(chunk.index(), command.title(), chunk.text(), vectors.get(i)));
        }
        retry.run("index", () -> {
            try {
                index.replaceVersion(command.tenantId(), command.documentId(), command.version(), rows);
            } catch (IndexUnavailableException e) {
                log.error("Indexing {} v{} failed", command.documentId(), command.version(), e);
                throw new PipelineStepException("the search index could not be written", e);
            }
        });
        try {
            commands.sendAndWait(new RecordDocumentIndexedCommand(command.documentId(), command.version(),
                    rows.size()));
        } catch (AggregateNotFoundException deleted) {
            // deleted while we were indexing: what we just wrote must not outlive it
            index.deleteDocument(command.tenantId(), command.documentId());
            log.info("Document {} was deleted during indexing; its chunks were removed", command.documentId());
        }
    }
}
