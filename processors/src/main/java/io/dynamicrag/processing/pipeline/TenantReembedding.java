package io.dynamicrag.processing.pipeline;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.query.ActiveDocumentVersion;
import io.dynamicrag.kernel.ingestion.api.query.FindActiveDocumentVersionsQuery;
import io.dynamicrag.kernel.storage.BlobKeys;
import io.dynamicrag.kernel.tenancy.api.command.ActivateIndexGenerationCommand;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.command.RecordReembeddingFailureCommand;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantConfigurationQuery;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantsAwayFromConfiguredModelQuery;
import io.dynamicrag.processing.embedding.Embedder;
import io.dynamicrag.processing.embedding.EmbeddingModels;
import io.dynamicrag.processing.embedding.TenantEmbedders;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantIndexOwnership;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import io.dynamicrag.processing.index.TenantWriteLocks;
import io.dynamicrag.processing.readmodel.ReadModelQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The seed's REGENERATE_EMBEDDINGS: when a tenant's configured {@code embedding_model} differs from the model its
 * search runs on, every active document version is embedded again with the new model into the next
 * {@link IndexSpace index generation}, beside the serving one. Search keeps answering from the serving generation
 * the whole time. Then, with writes to the tenant's index held ({@link TenantIndexSpaces#exclusively}), documents
 * indexed or deleted meanwhile are caught up and the generation is activated (an event on the Tenant aggregate), so
 * there is no moment where search fails or mixes the vectors of two models. The previous generation is deleted after
 * a grace period, once queries that started on it have finished.
 *
 * <p>Runs one tenant at a time on its own thread (model changes are rare and long); a restart finds unfinished
 * changes again ({@link #reconcileAll()}) and starts them from scratch: a half-built generation is discarded.
 * A failure (no key, a rejected key, the service down) is recorded on the tenant as a {@code ReembeddingFailedEvent};
 * the serving generation stays, and a new configuration or key change, or a restart, tries again.
 *
 * <p>The configured model and the documents to embed come from the query side's read models
 * ({@link FindTenantConfigurationQuery}, {@link FindActiveDocumentVersionsQuery}); the serving models from
 * {@code tenant_index_generations}, which the processors own.
 */
public class TenantReembedding implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TenantReembedding.class);

    private final JdbcTemplate jdbc;
    private final ReadModelQueries queries;
    private final TenantIndexSpaces spaces;
    private final TenantEmbedders embedders;
    private final DocumentVersionIndexer indexer;
    private final PipelineArtefacts artefacts;
    private final CommandGateway commands;
    private final Path dataDir;
    private final Duration retiredGenerationGrace;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reembedding");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final TenantIndexOwnership ownership;
    private final TenantWriteLocks locks;
    private final EmbeddingUsage usage;

    TenantReembedding(JdbcTemplate jdbc, ReadModelQueries queries, TenantIndexSpaces spaces,
                      TenantEmbedders embedders, DocumentVersionIndexer indexer, PipelineArtefacts artefacts,
                      CommandGateway commands, Path dataDir, Duration retiredGenerationGrace,
                      TenantIndexOwnership ownership, TenantWriteLocks locks) {
        this.ownership = ownership;
        this.locks = locks;
        this.jdbc = jdbc;
        this.queries = queries;
        this.spaces = spaces;
        this.embedders = embedders;
        this.indexer = indexer;
        this.artefacts = artefacts;
        this.commands = commands;
        this.usage = new EmbeddingUsage(commands);
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.retiredGenerationGrace = retiredGenerationGrace;
    }

    /** Looks at the tenant soon (on its own thread); a request for a tenant already waiting is merged into it. */
    public void request(TenantId tenant) {
        if (queued.add(tenant.value())) {
            worker.execute(() -> {
                queued.remove(tenant.value());
                reconcile(tenant);
            });
        }
    }

    /**
     * Looks for unfinished model changes every {@code interval}: a node that took a tenant's index over from a dead
     * one finds the change it left unfinished.
     */
    public void reconcileEvery(Duration interval) {
        worker.scheduleWithFixedDelay(this::reconcileAll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Requests every tenant (whose index this node writes) whose configured model is not the one search runs on. */
    public void reconcileAll() {
        // only tenants that ever changed model have a row: a handful, sent along so the query side needs one query
        Map<TenantId, String> serving = new HashMap<>();
        jdbc.query("SELECT customer_id, embedding_model FROM tenant_index_generations",
                rs -> {
                    serving.put(new TenantId(rs.getObject(1, UUID.class)), rs.getString(2));
                });
        queries.list(new FindTenantsAwayFromConfiguredModelQuery(serving, EmbeddingModels.DEFAULT.modelName()),
                        TenantId.class)
                .stream().filter(ownership::owns)
                .forEach(this::request);
    }

    /** Brings the tenant's index to its configured model, if it is not there yet. Runs on the worker thread. */
    void reconcile(TenantId tenant) {
        try {
            if (!ownership.owns(tenant)) {
                return; // another node writes this tenant's index: it re-embeds it
            }
            String wanted = configuredModel(tenant);
            IndexSpace serving = spaces.serving(tenant);
            if (wanted == null || wanted.equals(serving.embeddingModel())) {
                return;
            }
            reembed(tenant, serving, EmbeddingModels.require(wanted));
        } catch (RuntimeException e) {
            log.error("Re-embedding the chunks of tenant {} failed", tenant, e);
        }
    }

    private void reembed(TenantId tenant, IndexSpace serving, EmbeddingModels model) {
        IndexSpace target = serving.next(model);
        deleteDirectory(target.directory(dataDir)); // what a crashed earlier attempt left
        log.info("Re-embedding the chunks of tenant {} with {} into generation {}", tenant, model.modelName(),
                target.generation());
        Map<DocumentId, Integer> built = new HashMap<>();
        try {
            Embedder embedder = embedders.forModel(tenant, model.modelName());
            long[] chunks = {0};
            for (ActiveVersion active : activeVersions(tenant).values()) {
                chunks[0] += embedAndIndex(target, embedder, active);
                built.put(active.document(), active.version());
                if (!ownership.owns(tenant)) {
                    throw new IndexMovedException();
                }
                if (!model.modelName().equals(configuredModel(tenant))) {
                    log.info("Tenant {} changed its model again; generation {} is abandoned", tenant,
                            target.generation());
                    deleteDirectory(target.directory(dataDir));
                    request(tenant);
                    return;
                }
            }
            locks.whileHolding(tenant, () -> spaces.exclusively(tenant, () -> {
                if (!ownership.owns(tenant)) {
                    throw new IndexMovedException();
                }
                // catch up with what was indexed or deleted while the generation was being built
                Map<DocumentId, ActiveVersion> now = activeVersions(tenant);
                for (ActiveVersion active : now.values()) {
                    if (!Objects.equals(built.get(active.document()), active.version())) {
                        chunks[0] += embedAndIndex(target, embedder, active);
                    }
                }
                built.keySet().stream().filter(document -> !now.containsKey(document))
                        .forEach(document -> indexer.remove(target, document));
                commands.sendAndWait(new ActivateIndexGenerationCommand(tenant, target.generation(),
                        model.modelName(), model.dimensions(), now.size(), chunks[0]));
                return null;
            }));
            log.info("Tenant {} now searches generation {} ({}, {} chunks)", tenant, target.generation(),
                    model.modelName(), chunks[0]);
            worker.schedule(() -> deleteRetiredGenerations(tenant), retiredGenerationGrace.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (IndexMovedException e) {
            deleteDirectory(target.directory(dataDir));
            log.info("Tenant {}'s index moved to another node; it takes the re-embedding over", tenant);
        } catch (RuntimeException e) {
            deleteDirectory(target.directory(dataDir));
            String reason = StepFailures.describe(e);
            log.warn("Re-embedding tenant {} with {} failed: {}", tenant, model.modelName(), reason);
            commands.sendAndWait(new RecordReembeddingFailureCommand(tenant, model.modelName(), reason));
        }
    }

    /** Embeds outside the tenant's write lock (slow) and writes under it (joined when the switch holds it). */
    private long embedAndIndex(IndexSpace target, Embedder embedder, ActiveVersion active) {
        var chunks = artefacts.chunks(BlobKeys.artefact(target.tenant(), active.document(), active.version(),
                "chunks.json"));
        BatchEmbedding.Usage embedded = BatchEmbedding.embed(embedder, chunks);
        List<float[]> vectors = embedded.vectors();
        usage.record("reembedding:" + target.generation(), target.tenant(), active.document(), active.version(),
                embedder.modelName(), embedded, "reembedding");
        return locks.whileHolding(target.tenant(), () -> (long) indexer.index(target, active.document(),
                active.version(), active.title(), chunks, vectors));
    }

    /** Removes the directories of generations other than the serving one (generation 0 is the tenant directory). */
    void deleteRetiredGenerations(TenantId tenant) {
        IndexSpace serving = spaces.serving(tenant);
        Path tenantDir = IndexSpace.tenantDirectory(dataDir, tenant);
        if (serving.generation() != 0) {
            try (Stream<Path> entries = Files.list(tenantDir)) {
                entries.filter(p -> p.getFileName().toString().endsWith(".lance")).forEach(this::deleteDirectory);
            } catch (IOException e) {
                log.warn("Could not list {}: {}", tenantDir, e.toString());
            }
        }
        Path generations = tenantDir.resolve("generations");
        if (Files.isDirectory(generations)) {
            try (Stream<Path> entries = Files.list(generations)) {
                entries.filter(p -> !p.getFileName().toString().equals(Long.toString(serving.generation())))
                        .forEach(this::deleteDirectory);
            } catch (IOException e) {
                log.warn("Could not list {}: {}", generations, e.toString());
            }
        }
    }

    /** The model the tenant asked for; null for a tenant the read model does not know. */
    private String configuredModel(TenantId tenant) {
        return queries.optional(new FindTenantConfigurationQuery(tenant), TenantConfiguration.class)
                .map(TenantConfiguration::embeddingModel).orElse(null);
    }

    /** The tenant's served documents, oldest first. */
    private Map<DocumentId, ActiveVersion> activeVersions(TenantId tenant) {
        Map<DocumentId, ActiveVersion> active = new LinkedHashMap<>();
        for (ActiveDocumentVersion document : queries.list(new FindActiveDocumentVersionsQuery(tenant),
                ActiveDocumentVersion.class)) {
            active.put(document.documentId(),
                    new ActiveVersion(document.documentId(), document.version(), document.title()));
        }
        return active;
    }

    private void deleteDirectory(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}: {}", directory, e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** This node stopped being the tenant's index writer: the new one redoes the change. */
    private static final class IndexMovedException extends RuntimeException {
        IndexMovedException() {
            super("the tenant's index moved to another node", null, false, false);
        }
    }

    private record ActiveVersion(DocumentId document, int version, String title) {
    }
}
