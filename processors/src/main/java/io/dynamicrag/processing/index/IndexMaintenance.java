package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.Session;
import org.lance.Version;
import org.lance.cleanup.CleanupPolicy;
import org.lance.cleanup.RemovalStats;
import org.lance.compaction.CompactionOptions;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.OptimizeOptions;
import org.lance.index.scalar.InvertedIndexParams;
import org.lance.index.scalar.ScalarIndexParams;
import org.lance.index.vector.HnswBuildParams;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.PQBuildParams;
import org.lance.index.vector.SQBuildParams;
import org.lance.index.vector.VectorIndexParams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps one of a tenant's datasets ({@link TenantDataset}: chunks, versions or catalog) fast and small, in Lance's
 * recommended order:
 * <ol>
 *   <li>a btree index on {@code document_id} (filters and per-document deletes) and the full-text (BM25) indexes on
 *       its text columns ({@code text}; the catalog's {@code title} and {@code summary}) as soon as it has rows; the
 *       ANN vector index once it holds {@code annThreshold} rows (below that an exact scan is fast enough: ~6 ms at
 *       5k rows here, ~110 ms at 100k);</li>
 *   <li>compaction once the dataset has many small fragments (every indexed document version appends one) or many
 *       deleted rows (superseded versions);</li>
 *   <li>an incremental {@code optimizeIndices} when rows are not covered by the vector or scalar indexes yet: a new
 *       delta segment, merged with the others once there are {@value #MAX_INDEX_SEGMENTS} (new rows are found
 *       meanwhile through Lance's flat scan of the unindexed part, so this is about speed, never correctness). Not
 *       the full-text indexes: the write path rebuilds those ({@link LanceScans#keepFullTextIndexCovering}), and
 *       merging an inverted index's segments panicked inside Lance 7.0 ({@code index out of bounds} in
 *       {@code InvertedIndex::merge_segments}, a panic that cannot unwind) and aborted the whole JVM in the fuzz
 *       drill;</li>
 *   <li>cleanup of old versions: a version goes only when it is older than {@code retention} (readers in flight,
 *       cached handles in other processes) and older than the oldest version {@link RetainedVersions} still needs
 *       ({@code as_of_version}); tagged versions are always kept.</li>
 * </ol>
 * The caller holds the tenant's write lock (Lance commits are optimistic; one writer per dataset avoids conflicts).
 * Searches are never blocked: they read the latest committed version through their own handles.
 */
public final class IndexMaintenance {

    public static final String DOCUMENT_ID_INDEX = "document_id_idx";
    /** The name search also uses when it creates the index itself (column + "_fts"). */
    public static final String FULL_TEXT_INDEX = "text_fts";
    /** A full-text index is named after its column: {@code <column>_fts}. */
    static final String FULL_TEXT_SUFFIX = "_fts";
    public static final String VECTOR_INDEX = "vector_idx";

    /** Delta segments an index may have before maintenance merges them. */
    static final int MAX_INDEX_SEGMENTS = 8;

    /** Product quantisation trains 2^8 centroids per sub-vector, so it needs at least this many rows. */
    static final int MIN_ANN_ROWS = 256;

    private final BufferAllocator allocator;
    private final Session session;
    private final Settings settings;
    private final RetainedVersions retainedVersions;
    private final Clock clock;

    public IndexMaintenance(BufferAllocator allocator, Session session, Settings settings,
                            RetainedVersions retainedVersions, Clock clock) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.session = Objects.requireNonNull(session, "session");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retainedVersions = Objects.requireNonNull(retainedVersions, "retainedVersions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The full-text (BM25) index search and maintenance both build: the simple tokenizer with English stemming (both
     * settings are required by Lance 7). No positions: they would only serve phrase queries, which search does not use.
     */
    public static IndexParams fullTextIndexParams() {
        return IndexParams.builder()
                .setScalarIndexParams(InvertedIndexParams.builder()
                        .baseTokenizer("simple")
                        .language("English")
                        .build())
                .build();
    }

    /**
     * Runs one maintenance pass on the committed dataset. The caller holds the tenant's write lock.
     */
    public Outcome maintain(MaintainedDataset target) {
        TenantId tenant = target.tenant();
        Path path = target.path();
        TenantDataset kind = TenantDataset.at(path);
        try (Dataset dataset = Dataset.open().allocator(allocator).session(session).uri(path.toString()).build()) {
            long rows = dataset.countRows();
            Set<String> indexes = new HashSet<>(dataset.listIndexes());
            boolean documentIdIndexBuilt = false;
            boolean fullTextIndexBuilt = false;
            boolean vectorIndexBuilt = false;
            if (rows > 0 && !indexes.contains(DOCUMENT_ID_INDEX)) {
                createIndex(dataset, LanceTenantChunkIndex.DOCUMENT_ID, IndexType.BTREE, DOCUMENT_ID_INDEX,
                        IndexParams.builder().setScalarIndexParams(ScalarIndexParams.create("btree")).build());
                documentIdIndexBuilt = true;
            }
            for (String column : kind.fullTextColumns()) {
                // the name search uses too when its write path builds the index first
                String name = column + FULL_TEXT_SUFFIX;
                if (rows > 0 && !indexes.contains(name)) {
                    createIndex(dataset, column, IndexType.INVERTED, name, fullTextIndexParams());
                    fullTextIndexBuilt = true;
                }
            }
            if (rows >= settings.annThreshold() && !indexes.contains(VECTOR_INDEX)) {
                createIndex(dataset, LanceTenantChunkIndex.VECTOR, settings.annIndexType(), VECTOR_INDEX,
                        IndexParams.builder()
                                .setVectorIndexParams(vectorIndexParams(rows, vectorDimensions(dataset)))
                                .build());
                vectorIndexBuilt = true;
            }

            List<FragmentMetadata> fragments = fragments(dataset);
            int fragmentsBefore = fragments.size();
            boolean compacted = false;
            if (needsCompaction(fragments)) {
                dataset.compact(CompactionOptions.builder().withMaterializeDeletions(true).build());
                compacted = true;
            }
            int fragmentsAfter = dataset.getFragments().size();

            boolean optimized = false;
            List<String> optimizable = optimizedHere(dataset.listIndexes());
            if (!optimizable.isEmpty() && !indexesCover(dataset)) {
                dataset.optimizeIndices(optimizeOptions(dataset, optimizable));
                optimized = true;
            }

            long cutoff = cleanupCutoff(target, dataset.listVersions());
            long versionsRemoved = 0;
            long bytesRemoved = 0;
            if (cutoff > 0) {
                RemovalStats removed = dataset.cleanupWithPolicy(CleanupPolicy.builder()
                        .withBeforeVersion(cutoff)
                        .withErrorIfTaggedOldVersions(false)
                        .build());
                versionsRemoved = removed.getOldVersions();
                bytesRemoved = removed.getBytesRemoved();
            }
            return new Outcome(kind.fileName(), dataset.version(), rows, documentIdIndexBuilt, fullTextIndexBuilt,
                    vectorIndexBuilt, compacted, fragmentsBefore, fragmentsAfter, optimized, versionsRemoved,
                    bytesRemoved, List.of());
        } catch (IndexUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new IndexUnavailableException("Maintenance of the Lance dataset " + path + " of tenant " + tenant
                    + " failed: " + t, t);
        }
    }

    private static void createIndex(Dataset dataset, String column, IndexType type, String name, IndexParams params) {
        dataset.createIndex(IndexOptions.builder(List.of(column), type, params)
                .withIndexName(name)
                .replace(true)
                .build());
    }

    VectorIndexParams vectorIndexParams(long rows, int dimensions) {
        return switch (settings.annIndexType()) {
            // one HNSW graph per partition of ~8k rows: graphs build in parallel, and up to ~160k rows every
            // partition is probed by Lance's default nprobes (20), so recall is the graphs' own
            case IVF_HNSW_SQ -> VectorIndexParams.withIvfHnswSqParams(DistanceType.Cosine,
                    new IvfBuildParams.Builder().setNumPartitions((int) Math.max(1, rows / 8_192)).build(),
                    new HnswBuildParams.Builder().build(),
                    new SQBuildParams.Builder().build());
            // the usual IVF_PQ sizing: sqrt(rows) partitions, 8 dimensions per PQ sub-vector
            case IVF_PQ -> VectorIndexParams.withIvfPqParams(DistanceType.Cosine,
                    new IvfBuildParams.Builder().setNumPartitions((int) Math.max(1, Math.sqrt(rows))).build(),
                    new PQBuildParams.Builder()
                            .setNumSubVectors(dimensions % 8 == 0 ? dimensions / 8 : 1)
                            .setNumBits(8)
                            .build());
            default -> throw new IllegalStateException("unsupported ANN index type " + settings.annIndexType());
        };
    }

    private static int vectorDimensions(Dataset dataset) {
        ArrowType type = dataset.getSchema().findField(LanceTenantChunkIndex.VECTOR).getType();
        if (type instanceof ArrowType.FixedSizeList list) {
            return list.getListSize();
        }
        throw new IllegalStateException("the vector column is " + type + ", not a fixed-size list");
    }

    private static List<FragmentMetadata> fragments(Dataset dataset) {
        return dataset.getFragments().stream().map(org.lance.Fragment::metadata).toList();
    }

    private boolean needsCompaction(List<FragmentMetadata> fragments) {
        if (fragments.size() >= settings.compactionMinFragments()) {
            return true;
        }
        long physical = fragments.stream().mapToLong(FragmentMetadata::getPhysicalRows).sum();
        long deleted = fragments.stream().mapToLong(FragmentMetadata::getNumDeletions).sum();
        return physical > 0 && (double) deleted / physical >= settings.compactionDeletedFraction();
    }

    /**
     * New rows go into a new delta segment of each index (cheap: 76 ms for 10 rows next to a 5k-row IVF_HNSW_SQ index
     * here, against 2.1 s to merge them into it); once an index has {@link #MAX_INDEX_SEGMENTS} segments they are
     * merged into one, so searches do not probe ever more segments.
     */
    private static OptimizeOptions optimizeOptions(Dataset dataset, List<String> names) {
        java.util.Map<String, Integer> segments = new java.util.HashMap<>();
        for (Index segment : dataset.getIndexes()) {
            if (names.contains(segment.name())) {
                segments.merge(segment.name(), 1, Integer::sum);
            }
        }
        int most = segments.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        return OptimizeOptions.builder().indexNames(names)
                .numIndicesToMerge(most >= MAX_INDEX_SEGMENTS ? most : 0).build();
    }

    /** The indexes this pass optimises: all but the full-text ones (see the class). */
    private static List<String> optimizedHere(List<String> indexNames) {
        return indexNames.stream().filter(name -> !name.endsWith(FULL_TEXT_SUFFIX)).toList();
    }

    /**
     * Whether every fragment is covered by every index this pass optimises (new appends land in fragments no index
     * covers yet).
     */
    private static boolean indexesCover(Dataset dataset) {
        Set<Integer> fragmentIds = new HashSet<>();
        dataset.getFragments().forEach(fragment -> fragmentIds.add(fragment.getId()));
        java.util.Map<String, Set<Integer>> covered = new java.util.HashMap<>();
        for (Index segment : dataset.getIndexes()) {
            if (segment.name().endsWith(FULL_TEXT_SUFFIX)) {
                continue;
            }
            if (segment.fragments().isEmpty()) {
                return false; // coverage unknown: optimise to be safe
            }
            covered.computeIfAbsent(segment.name(), name -> new HashSet<>()).addAll(segment.fragments().get());
        }
        return covered.values().stream().allMatch(ids -> ids.containsAll(fragmentIds));
    }

    /**
     * The first version to keep: the latest, any younger than the retention, and every version from the oldest one
     * the read model still needs. Returns 0 when nothing can go.
     */
    long cleanupCutoff(MaintainedDataset target, List<Version> versions) {
        if (versions.size() < 2) {
            return 0;
        }
        List<Version> ascending = versions.stream().sorted(java.util.Comparator.comparingLong(Version::getId)).toList();
        long keepFrom = ascending.get(ascending.size() - 1).getId();
        java.time.Instant graceStart = clock.instant().minus(settings.retention());
        for (Version version : ascending) {
            if (!version.getDataTime().toInstant().isBefore(graceStart)) {
                keepFrom = Math.min(keepFrom, version.getId());
                break;
            }
        }
        OptionalLong needed = retainedVersions.oldestRetained(target);
        if (needed.isPresent()) {
            keepFrom = Math.min(keepFrom, needed.getAsLong());
        }
        return keepFrom > ascending.get(0).getId() ? keepFrom : 0;
    }

    /**
     * Maintenance settings ({@code rag.index.*}).
     *
     * @param annThreshold             rows from which a tenant's dataset gets an ANN vector index (at least 256)
     * @param annIndexType             {@link IndexType#IVF_HNSW_SQ} (default) or {@link IndexType#IVF_PQ}
     * @param compactionMinFragments   compact once a dataset has this many fragments
     * @param compactionDeletedFraction compact once this fraction of the stored rows is deleted
     * @param retention                versions younger than this are never cleaned up
     */
    public record Settings(long annThreshold, IndexType annIndexType, int compactionMinFragments,
                           double compactionDeletedFraction, Duration retention) {

        public Settings {
            if (annThreshold < MIN_ANN_ROWS) {
                throw new IllegalArgumentException("rag.index.ann-threshold must be at least " + MIN_ANN_ROWS
                        + " (vector index training needs that many rows), was " + annThreshold);
            }
            Objects.requireNonNull(annIndexType, "annIndexType");
            if (annIndexType != IndexType.IVF_HNSW_SQ && annIndexType != IndexType.IVF_PQ) {
                throw new IllegalArgumentException("rag.index.ann-index-type must be IVF_HNSW_SQ or IVF_PQ, was "
                        + annIndexType);
            }
            if (compactionMinFragments < 2) {
                throw new IllegalArgumentException("rag.index.compaction-min-fragments must be at least 2, was "
                        + compactionMinFragments);
            }
            if (!(compactionDeletedFraction > 0 && compactionDeletedFraction <= 1)) {
                throw new IllegalArgumentException("rag.index.compaction-deleted-fraction must be in (0, 1], was "
                        + compactionDeletedFraction);
            }
            if (retention == null || retention.isNegative()) {
                throw new IllegalArgumentException("rag.index.retention must be zero or positive, was " + retention);
            }
        }

        public static IndexType annIndexType(String name) {
            return IndexType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What one pass did to one dataset ({@code dataset}: its file name) and, for a generation's {@code chunks.lance},
     * to the {@code companions} maintained with it in the same pass ({@code versions.lance}, {@code catalog.lance}).
     */
    public record Outcome(String dataset, long version, long rows, boolean documentIdIndexBuilt,
                          boolean fullTextIndexBuilt, boolean vectorIndexBuilt, boolean compacted, int fragmentsBefore,
                          int fragmentsAfter, boolean indexesOptimized, long versionsRemoved, long bytesRemoved,
                          List<Outcome> companions) {

        public Outcome {
            Objects.requireNonNull(dataset, "dataset");
            companions = List.copyOf(companions);
        }

        /** This outcome with the companions' outcomes. */
        public Outcome withCompanions(List<Outcome> companions) {
            return new Outcome(dataset, version, rows, documentIdIndexBuilt, fullTextIndexBuilt, vectorIndexBuilt,
                    compacted, fragmentsBefore, fragmentsAfter, indexesOptimized, versionsRemoved, bytesRemoved,
                    companions);
        }

        /** This dataset's outcome and its companions', one each. */
        public List<Outcome> each() {
            List<Outcome> all = new ArrayList<>();
            all.add(withCompanions(List.of()));
            companions.forEach(companion -> all.addAll(companion.each()));
            return all;
        }

        /** Whether the pass changed this dataset or a companion. */
        public boolean changedAnything() {
            return documentIdIndexBuilt || fullTextIndexBuilt || vectorIndexBuilt || compacted || indexesOptimized
                    || versionsRemoved > 0 || companions.stream().anyMatch(Outcome::changedAnything);
        }

        /** The version each dataset was left at, by file name (the maintenance job's "changed since" check). */
        public Map<String, Long> versions() {
            Map<String, Long> versions = new TreeMap<>();
            each().forEach(each -> versions.put(each.dataset(), each.version()));
            return versions;
        }

        /** One line per pass for the log: what changed in each dataset. */
        public String summary() {
            return each().stream().map(Outcome::describeOwn).collect(Collectors.joining("; "));
        }

        private String describeOwn() {
            List<String> done = new ArrayList<>();
            if (documentIdIndexBuilt || fullTextIndexBuilt || vectorIndexBuilt) {
                done.add("indexes built:" + (documentIdIndexBuilt ? " document_id" : "")
                        + (fullTextIndexBuilt ? " full-text" : "") + (vectorIndexBuilt ? " vector" : ""));
            }
            if (compacted) {
                done.add("compacted " + fragmentsBefore + " -> " + fragmentsAfter + " fragments");
            }
            if (indexesOptimized) {
                done.add("indexes optimised");
            }
            if (versionsRemoved > 0) {
                done.add(versionsRemoved + " old versions removed (" + bytesRemoved + " bytes)");
            }
            return dataset + " v" + version + " (" + rows + " rows): "
                    + (done.isEmpty() ? "unchanged" : String.join(", ", done));
        }
    }
}
