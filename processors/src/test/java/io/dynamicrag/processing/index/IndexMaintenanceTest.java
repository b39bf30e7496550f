package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.ReadOptions;
import org.lance.Session;
import org.lance.Version;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;
import org.lance.ipc.FullTextQuery;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Index maintenance on real Lance datasets: ANN threshold, incremental optimize, compaction, version cleanup. */
class IndexMaintenanceTest {

    private static final int DIM = 16;
    private static final int THRESHOLD = 300;

    @TempDir
    Path dataDir;

    private LanceTenantChunkIndex index;
    private BufferAllocator allocator;
    private Session session;
    private final Random random = new Random(7);
    private final TenantId tenant = TenantId.random();
    private final IndexSpace space = new IndexSpace(tenant, 0, "test-model", DIM);
    private Path path;
    private MaintainedDataset target;

    @BeforeEach
    void setUp() {
        index = new LanceTenantChunkIndex(dataDir);
        allocator = new RootAllocator(Long.MAX_VALUE);
        session = Session.builder().build();
        path = index.datasetPath(space);
        target = new MaintainedDataset(tenant, 0, path);
    }

    @AfterEach
    void tearDown() {
        index.close();
        session.close();
        allocator.close();
    }

    @Test
    void shouldBuildScalarAndFullTextIndexesAtOnceAndTheAnnIndexOnlyAfterTheThreshold() throws Exception {
        addDocument(200, "ordinary words");
        IndexMaintenance maintenance = maintenance(Duration.ofHours(1), RetainedVersions.LATEST_ONLY);

        IndexMaintenance.Outcome first = maintenance.maintain(target);

        assertThat(first.documentIdIndexBuilt()).isTrue();
        // the full-text index exists already: the write path builds it (LanceScans.keepFullTextIndexCovering)
        assertThat(first.vectorIndexBuilt()).as("200 rows: below the threshold of 300").isFalse();
        assertThat(indexNames()).containsExactlyInAnyOrder(IndexMaintenance.DOCUMENT_ID_INDEX,
                IndexMaintenance.FULL_TEXT_INDEX);

        addDocument(150, "more ordinary words");
        IndexMaintenance.Outcome second = maintenance.maintain(target);

        assertThat(second.rows()).isEqualTo(350);
        assertThat(second.vectorIndexBuilt()).isTrue();
        assertThat(second.documentIdIndexBuilt()).isFalse();
        assertThat(indexNames()).contains(IndexMaintenance.VECTOR_INDEX);
        try (Dataset dataset = open()) {
            assertThat(dataset.describeIndices()).anySatisfy(index -> {
                assertThat(index.getName()).isEqualTo(IndexMaintenance.VECTOR_INDEX);
                assertThat(index.getIndexType()).isEqualTo("IVF_HNSW_SQ");
                assertThat(index.getRowsIndexed()).isEqualTo(350);
            });
        }

        IndexMaintenance.Outcome idle = maintenance.maintain(target);
        assertThat(idle.changedAnything()).as("nothing new: a pass changes nothing").isFalse();
    }

    @Test
    void shouldFindRowsAppendedAfterTheIndexWasBuiltAndFoldThemInOnOptimize() throws Exception {
        addDocument(THRESHOLD + 20, "background");
        IndexMaintenance maintenance = maintenance(Duration.ofHours(1), RetainedVersions.LATEST_ONLY);
        assertThat(maintenance.maintain(target).vectorIndexBuilt()).isTrue();

        float[] needle = randomVector();
        DocumentId late = DocumentId.random();
        index.replaceVersion(space, late, 1, List.of(new IndexedChunk(0, "late", "zebracorn invoice 4711", needle)));

        assertThat(nearestDocuments(needle, 5)).as("found through the flat scan of the unindexed fragment")
                .first().isEqualTo(late.toString());
        assertThat(fullText("zebracorn")).containsExactly(late.toString());

        IndexMaintenance.Outcome outcome = maintenance.maintain(target);

        assertThat(outcome.indexesOptimized()).isTrue();
        try (Dataset dataset = open()) {
            assertThat(dataset.describeIndices()).filteredOn(d -> d.getName().equals(IndexMaintenance.VECTOR_INDEX))
                    .singleElement().satisfies(d -> assertThat(d.getRowsIndexed()).isEqualTo(THRESHOLD + 21));
        }
        assertThat(nearestDocuments(needle, 5)).first().isEqualTo(late.toString());
        assertThat(fullText("zebracorn")).containsExactly(late.toString());
        assertThat(maintenance.maintain(target).indexesOptimized()).as("all covered now").isFalse();
    }

    /**
     * Merging an inverted index's segments panicked inside Lance 7.0 and aborted the JVM (the fuzz drill, seed 2):
     * maintenance optimises the other indexes and leaves the full-text one to the write path's rebuilds.
     */
    @Test
    void shouldLeaveTheFullTextIndexToTheWritePathWhenOptimizing() throws Exception {
        addDocument(THRESHOLD + 20, "background");
        IndexMaintenance maintenance = maintenance(Duration.ofHours(1), RetainedVersions.LATEST_ONLY);
        maintenance.maintain(target);
        DocumentId late = DocumentId.random();
        index.replaceVersion(space, late, 1, List.of(new IndexedChunk(0, "late", "zebracorn invoice", randomVector())));

        assertThat(maintenance.maintain(target).indexesOptimized()).as("the vector and document id indexes").isTrue();

        try (Dataset dataset = open()) {
            assertThat(dataset.getIndexes()).filteredOn(s -> s.name().equals(IndexMaintenance.FULL_TEXT_INDEX))
                    .hasSize(1);
            assertThat(((Number) dataset.getIndexStatistics(IndexMaintenance.FULL_TEXT_INDEX)
                    .get("num_unindexed_rows")).longValue()).as("the appended row, not folded in").isEqualTo(1);
        }
        assertThat(fullText("zebracorn")).containsExactly(late.toString());
        assertThat(maintenance.maintain(target).indexesOptimized()).as("the others cover everything").isFalse();
    }

    @Test
    void shouldAddDeltaSegmentsOnOptimizeAndMergeThemOnceThereAreMany() throws Exception {
        addDocument(THRESHOLD + 20, "background");
        IndexMaintenance maintenance = new IndexMaintenance(allocator, session,
                new IndexMaintenance.Settings(THRESHOLD, IndexType.IVF_HNSW_SQ, 1_000, 0.9, Duration.ofHours(1)),
                RetainedVersions.LATEST_ONLY, Clock.systemUTC());
        maintenance.maintain(target);
        List<Integer> segmentCounts = new ArrayList<>();
        List<float[]> needles = new ArrayList<>();
        for (int round = 0; round < IndexMaintenance.MAX_INDEX_SEGMENTS + 1; round++) {
            float[] needle = randomVector();
            needles.add(needle);
            index.replaceVersion(space, DocumentId.random(), 1, List.of(new IndexedChunk(0, "t", "x", needle)));
            assertThat(maintenance.maintain(target).indexesOptimized()).isTrue();
            segmentCounts.add(vectorIndexSegments());
        }

        assertThat(segmentCounts).as("one delta segment per pass, merged back once there are "
                + IndexMaintenance.MAX_INDEX_SEGMENTS).startsWith(2, 3, 4)
                .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(IndexMaintenance.MAX_INDEX_SEGMENTS));
        assertThat(segmentCounts.get(segmentCounts.size() - 1)).isLessThan(IndexMaintenance.MAX_INDEX_SEGMENTS);
        for (float[] needle : needles) {
            assertThat(nearestDocuments(needle, 1)).hasSize(1);
        }
        try (Dataset dataset = open()) {
            assertThat(dataset.describeIndices()).filteredOn(d -> d.getName().equals(IndexMaintenance.VECTOR_INDEX))
                    .singleElement().satisfies(d -> assertThat(d.getRowsIndexed())
                            .isEqualTo(THRESHOLD + 20 + IndexMaintenance.MAX_INDEX_SEGMENTS + 1));
        }
    }

    @Test
    void shouldCompactManySmallFragmentsAndMaterialiseDeletes() throws Exception {
        List<DocumentId> documents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            documents.add(addDocument(3, "doc " + i));
        }
        // a new version of each of three documents: deletes in old fragments, three more fragments
        for (int i = 0; i < 3; i++) {
            index.deleteDocument(space, documents.get(i));
        }
        int before;
        try (Dataset dataset = open()) {
            before = dataset.getFragments().size();
        }
        assertThat(before).isGreaterThanOrEqualTo(9);

        IndexMaintenance.Outcome outcome = maintenance(Duration.ofHours(1), RetainedVersions.LATEST_ONLY)
                .maintain(target);

        assertThat(outcome.compacted()).isTrue();
        assertThat(outcome.fragmentsBefore()).isEqualTo(before);
        // the write path's full-text index covers the first fragments; Lance compacts fragments the index covers
        // apart from those it does not, so two remain
        assertThat(outcome.fragmentsAfter()).isBetween(1, 2);
        try (Dataset dataset = open()) {
            assertThat(dataset.countRows()).isEqualTo(27);
            assertThat(dataset.getFragments()).hasSizeBetween(1, 2)
                    .allSatisfy(fragment -> assertThat(fragment.metadata().getNumDeletions()).isZero());
            assertThat(dataset.countRows("document_id = '" + documents.get(0) + "'")).isZero();
            assertThat(dataset.countRows("document_id = '" + documents.get(5) + "'")).isEqualTo(3);
        }
    }

    @Test
    void shouldCleanUpOldVersionsButKeepTheOnesStillNeeded() throws Exception {
        for (int i = 0; i < 6; i++) {
            addDocument(2, "doc " + i);
        }
        List<Long> versions = versionIds();
        long needed = versions.get(versions.size() / 2);
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        IndexMaintenance maintenance = new IndexMaintenance(allocator, session, settings(Duration.ofHours(1)),
                dataset -> dataset.equals(target) ? OptionalLong.of(needed) : OptionalLong.empty(), clock);

        IndexMaintenance.Outcome young = maintenance.maintain(target);
        assertThat(young.versionsRemoved()).as("every version is younger than the one-hour retention").isZero();
        assertThat(versionIds()).containsAll(versions);

        now.addAndGet(Duration.ofHours(2).toMillis());
        IndexMaintenance.Outcome old = maintenance.maintain(target);

        assertThat(old.versionsRemoved()).isEqualTo(versions.indexOf(needed));
        assertThat(old.bytesRemoved()).isPositive();
        assertThat(versionIds()).first().isEqualTo(needed);
        try (Dataset asOf = Dataset.open().allocator(allocator).session(session).uri(path.toString())
                .readOptions(new ReadOptions.Builder().setVersion(needed).build()).build()) {
            assertThat(asOf.countRows()).as("the needed version still answers").isPositive();
        }
        assertThatThrownBy(() -> Dataset.open().allocator(allocator).session(session).uri(path.toString())
                .readOptions(new ReadOptions.Builder().setVersion(needed - 1).build()).build().close())
                .as("an older version is gone");
    }

    @Test
    void shouldKeepOnlyTheLatestVersionWhenNothingOldIsNeededAndRetentionIsZero() throws Exception {
        for (int i = 0; i < 4; i++) {
            addDocument(2, "doc " + i);
        }
        IndexMaintenance.Outcome outcome = maintenance(Duration.ZERO, RetainedVersions.LATEST_ONLY)
                .maintain(target);

        assertThat(outcome.versionsRemoved()).isPositive();
        assertThat(versionIds()).containsExactly(outcome.version());
        try (Dataset dataset = open()) {
            assertThat(dataset.countRows()).isEqualTo(8);
        }
    }

    @Test
    void shouldRefuseAThresholdTooSmallToTrainAnIndex() {
        assertThatThrownBy(() -> new IndexMaintenance.Settings(100, IndexType.IVF_PQ, 16, 0.1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
        assertThatThrownBy(() -> new IndexMaintenance.Settings(1000, IndexType.BTREE, 16, 0.1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ---

    private IndexMaintenance maintenance(Duration retention, RetainedVersions retained) {
        return new IndexMaintenance(allocator, session, settings(retention), retained, Clock.systemUTC());
    }

    private static IndexMaintenance.Settings settings(Duration retention) {
        return new IndexMaintenance.Settings(THRESHOLD, IndexType.IVF_HNSW_SQ, 8, 0.1, retention);
    }

    private DocumentId addDocument(int chunks, String text) {
        DocumentId document = DocumentId.random();
        List<IndexedChunk> rows = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            rows.add(new IndexedChunk(i, "title", text + " " + i, randomVector()));
        }
        index.replaceVersion(space, document, 1, rows);
        return document;
    }

    private float[] randomVector() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private Dataset open() {
        return Dataset.open().allocator(allocator).session(session).uri(path.toString()).build();
    }

    private int vectorIndexSegments() {
        try (Dataset dataset = open()) {
            return (int) dataset.getIndexes().stream()
                    .filter(segment -> segment.name().equals(IndexMaintenance.VECTOR_INDEX)).count();
        }
    }

    private List<String> indexNames() {
        try (Dataset dataset = open()) {
            return dataset.listIndexes();
        }
    }

    private List<Long> versionIds() {
        try (Dataset dataset = open()) {
            return dataset.listVersions().stream().map(Version::getId).sorted().toList();
        }
    }

    private List<String> nearestDocuments(float[] vector, int k) throws Exception {
        return documentIds(new ScanOptions.Builder()
                .columns(List.of(LanceTenantChunkIndex.DOCUMENT_ID))
                .nearest(new Query.Builder().setColumn(LanceTenantChunkIndex.VECTOR).setKey(vector).setK(k)
                        .setDistanceType(DistanceType.Cosine).build())
                .build());
    }

    private List<String> fullText(String term) throws Exception {
        return documentIds(new ScanOptions.Builder()
                .columns(List.of(LanceTenantChunkIndex.DOCUMENT_ID))
                .fullTextQuery(FullTextQuery.match(term, LanceTenantChunkIndex.TEXT))
                .build());
    }

    private List<String> documentIds(ScanOptions options) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Dataset dataset = open(); LanceScanner scanner = dataset.newScan(options);
             ArrowReader reader = scanner.scanBatches()) {
            while (reader.loadNextBatch()) {
                VarCharVector column = (VarCharVector) reader.getVectorSchemaRoot()
                        .getVector(LanceTenantChunkIndex.DOCUMENT_ID);
                for (int row = 0; row < reader.getVectorSchemaRoot().getRowCount(); row++) {
                    ids.add(new String(column.get(row), StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }
}
