package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LanceTenantChunkIndexTest {

    private static final int DIM = 8;

    @TempDir
    Path dataDir;

    private LanceTenantChunkIndex index;

    @BeforeEach
    void setUp() {
        index = new LanceTenantChunkIndex(dataDir);
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    @Test
    void shouldCreateDatasetAndFindClosestVectorFirst() {
        IndexSpace tenant = space();
        DocumentId document = DocumentId.random();

        index.replaceVersion(tenant, document, 1, List.of(
                chunk(0, axis(0)),
                chunk(1, axis(1)),
                chunk(2, blend(0.2f, 1))));

        assertThat(index.datasetPath(tenant))
                .isEqualTo(dataDir.toAbsolutePath().resolve("customers").resolve(tenant.tenant().toString())
                        .resolve("chunks.lance"));
        assertThat(Files.isDirectory(index.datasetPath(tenant))).isTrue();

        List<ChunkHit> hits = index.nearest(tenant, axis(1), 3);

        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).chunkIndex()).isEqualTo(1);
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(hits.get(0).documentId()).isEqualTo(document.toString());
        assertThat(hits.get(0).version()).isEqualTo(1);
        assertThat(hits.get(0).title()).isEqualTo("title 1");
        assertThat(hits.get(0).text()).isEqualTo("text 1");
        assertThat(hits.get(1).chunkIndex()).isEqualTo(2);
        assertThat(hits.get(2).chunkIndex()).isEqualTo(0);
        assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-5));
        assertThat(hits).extracting(ChunkHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        assertThat(index.nearest(tenant, axis(1), 1)).extracting(ChunkHit::chunkIndex).containsExactly(1);
    }

    @Test
    void shouldNotDuplicateWhenTheSameVersionIsReplacedTwice() {
        IndexSpace tenant = space();
        DocumentId document = DocumentId.random();
        List<IndexedChunk> chunks = List.of(chunk(0, axis(0)), chunk(1, axis(1)), chunk(2, axis(2)));

        index.replaceVersion(tenant, document, 3, chunks);
        index.replaceVersion(tenant, document, 3, chunks);

        assertThat(index.countChunks(tenant, document)).isEqualTo(3);
        assertThat(index.nearest(tenant, axis(0), 10)).hasSize(3);

        index.replaceVersion(tenant, document, 3, List.of(chunk(0, axis(5))));
        assertThat(index.countChunks(tenant, document)).isEqualTo(1);

        index.replaceVersion(tenant, document, 3, List.of());
        assertThat(index.countChunks(tenant, document)).isZero();
    }

    @Test
    void shouldKeepOtherVersionsWhenReplacingOne() {
        IndexSpace tenant = space();
        DocumentId document = DocumentId.random();

        index.replaceVersion(tenant, document, 1, List.of(chunk(0, axis(0)), chunk(1, axis(1))));
        index.replaceVersion(tenant, document, 2, List.of(chunk(0, axis(2))));
        index.replaceVersion(tenant, document, 2, List.of(chunk(0, axis(2))));

        assertThat(index.countChunks(tenant, document)).isEqualTo(3);
    }

    @Test
    void shouldRemoveEveryChunkOfADeletedDocument() {
        IndexSpace tenant = space();
        DocumentId deleted = DocumentId.random();
        DocumentId kept = DocumentId.random();
        index.replaceVersion(tenant, deleted, 1, List.of(chunk(0, axis(0)), chunk(1, axis(1))));
        index.replaceVersion(tenant, deleted, 2, List.of(chunk(0, axis(0))));
        index.replaceVersion(tenant, kept, 1, List.of(chunk(0, axis(3))));

        index.deleteDocument(tenant, deleted);

        assertThat(index.countChunks(tenant, deleted)).isZero();
        assertThat(index.countChunks(tenant, kept)).isEqualTo(1);
        assertThat(index.nearest(tenant, axis(0), 10))
                .extracting(ChunkHit::documentId)
                .containsExactly(kept.toString());
    }

    @Test
    void shouldIgnoreDeleteOnATenantWithoutDataset() {
        IndexSpace tenant = space();

        index.deleteDocument(tenant, DocumentId.random());
        index.replaceVersion(tenant, DocumentId.random(), 1, List.of());

        assertThat(Files.exists(index.datasetPath(tenant))).isFalse();
    }

    @Test
    void shouldIsolateTenants() {
        IndexSpace tenantA = space();
        IndexSpace tenantB = space();
        DocumentId documentA = DocumentId.random();
        DocumentId documentB = DocumentId.random();
        index.replaceVersion(tenantA, documentA, 1, List.of(chunk(0, axis(0)), chunk(1, axis(1))));
        index.replaceVersion(tenantB, documentB, 1, List.of(chunk(0, axis(7))));

        List<ChunkHit> hitsB = index.nearest(tenantB, axis(0), 10);

        assertThat(hitsB).extracting(ChunkHit::documentId).containsOnly(documentB.toString());
        assertThat(hitsB).hasSize(1);
        assertThat(index.countChunks(tenantB, documentA)).isZero();
        assertThat(index.nearest(tenantA, axis(7), 10))
                .extracting(ChunkHit::documentId).containsOnly(documentA.toString());
    }

    @Test
    void shouldReturnNothingForATenantWithoutDataset() {
        IndexSpace tenant = space();

        assertThat(index.nearest(tenant, axis(0), 5)).isEmpty();
        assertThat(index.countChunks(tenant, DocumentId.random())).isZero();
    }

    @Test
    void shouldLandAllConcurrentReplacementsOnOneTenant() throws Exception {
        IndexSpace tenant = space();
        int threads = 4;
        int chunksPerDocument = 5;
        List<DocumentId> documents = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            documents.add(DocumentId.random());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                DocumentId document = documents.get(t);
                int axis = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<IndexedChunk> chunks = new ArrayList<>();
                    for (int c = 0; c < chunksPerDocument; c++) {
                        chunks.add(chunk(c, blend(0.1f * c, axis)));
                    }
                    index.replaceVersion(tenant, document, 1, chunks);
                    index.replaceVersion(tenant, document, 1, chunks);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (DocumentId document : documents) {
            assertThat(index.countChunks(tenant, document)).isEqualTo(chunksPerDocument);
        }
        assertThat(index.nearest(tenant, axis(0), 100)).hasSize(threads * chunksPerDocument);
    }

    @Test
    void shouldRejectVectorsOfTheWrongDimension() {
        IndexSpace tenant = space();

        assertThatThrownBy(() -> index.nearest(tenant, new float[DIM + 1], 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.replaceVersion(tenant, DocumentId.random(), 1,
                List.of(new IndexedChunk(0, "t", "x", new float[3]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFailCleanlyAfterClose() {
        IndexSpace tenant = space();
        index.close();

        assertThatThrownBy(() -> index.nearest(tenant, axis(0), 3))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("closed");
    }

    private static IndexedChunk chunk(int chunkIndex, float[] vector) {
        return new IndexedChunk(chunkIndex, "title " + chunkIndex, "text " + chunkIndex, vector);
    }

    /** Unit vector along one axis. */
    private static float[] axis(int axis) {
        float[] v = new float[DIM];
        v[axis] = 1f;
        return v;
    }

    /** Mostly along {@code axis}, tilted a little towards axis 0 ({@code weight} of it). */
    private static float[] blend(float weight, int axis) {
        float[] v = axis(axis);
        v[0] += weight;
        if (axis == 0) {
            v[1] += weight;
        }
        return v;
    }

    /** Generation 0 of a new tenant, with vectors of {@value #DIM} dimensions. */
    private static IndexSpace space() {
        return new IndexSpace(TenantId.random(), 0, "test-model", DIM);
    }

    @Test
    void shouldKeepGenerationsOfOneTenantApartEvenWithOtherDimensions() {
        IndexSpace first = space();
        IndexSpace second = new IndexSpace(first.tenant(), 1, "wider-model", 2 * DIM);
        DocumentId document = DocumentId.random();
        float[] wide = new float[2 * DIM];
        wide[3] = 1f;

        index.replaceVersion(first, document, 1, List.of(chunk(0, axis(0))));
        index.replaceVersion(second, document, 1, List.of(new IndexedChunk(0, "t", "wide", wide)));

        assertThat(index.datasetPath(second)).isEqualTo(dataDir.toAbsolutePath().resolve("customers")
                .resolve(first.tenant().toString()).resolve("generations").resolve("1").resolve("chunks.lance"));
        assertThat(index.nearest(first, axis(0), 5)).extracting(ChunkHit::text).doesNotContain("wide");
        assertThat(index.nearest(second, wide, 5)).extracting(ChunkHit::text).containsExactly("wide");
        assertThatThrownBy(() -> index.nearest(second, axis(0), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects " + (2 * DIM));
        index.deleteDocument(first, document);
        assertThat(index.countChunks(second, document)).isEqualTo(1);
    }

    @Test
    void shouldCommitNothingWhenADocumentHasNoOtherVersionToDelete() throws Exception {
        IndexSpace tenant = space();
        DocumentId document = DocumentId.random();
        index.replaceVersion(tenant, document, 1, List.of(chunk(0, axis(0))));
        long manifests = manifests(tenant);

        index.deleteOtherVersions(tenant, document, 1);

        assertThat(manifests(tenant)).as("dataset versions").isEqualTo(manifests);
        index.replaceVersion(tenant, document, 2, List.of(chunk(0, axis(1))));
        index.deleteOtherVersions(tenant, document, 2);
        assertThat(index.countChunks(tenant, document)).isEqualTo(1);
        assertThat(manifests(tenant)).isGreaterThan(manifests);
    }

    private long manifests(IndexSpace space) throws java.io.IOException {
        try (var files = Files.list(index.datasetPath(space).resolve("_versions"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".manifest")).count();
        }
    }
}
