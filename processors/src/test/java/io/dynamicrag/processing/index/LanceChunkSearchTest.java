package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyword (BM25) and filtered search of {@link LanceTenantChunkIndex}, and its history dataset. */
class LanceChunkSearchTest {

    private static final int DIM = 4;

    @TempDir
    Path dataDir;

    private LanceTenantChunkIndex index;
    private final IndexSpace space = new IndexSpace(TenantId.random(), 0, "test-model", DIM);

    @BeforeEach
    void setUp() {
        index = new LanceTenantChunkIndex(dataDir);
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    @Test
    void shouldFindAnExactRareTokenByKeywordsWithBm25Scores() {
        DocumentId order = DocumentId.random();
        DocumentId other = DocumentId.random();
        index.replaceVersion(space, order, 1, List.of(chunk(0, "the pallet for ORD-99812-XK left late", 0)));
        index.replaceVersion(space, other, 1, List.of(chunk(0, "orders ship from Rotterdam", 1),
                chunk(1, "ORD-31337-AB was a different order", 2)));

        List<ChunkHit> hits = index.matching(space, "ORD-99812-XK", 5, ChunkFilter.none(), ChunkSet.LATEST);
        assertThat(hits.get(0).documentId()).isEqualTo(order.toString());
        assertThat(hits.get(0).score()).isPositive();
        assertThat(hits).extracting(ChunkHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        // case does not matter, and words are stemmed ("ordered" finds "order" and "orders")
        assertThat(index.matching(space, "rotterdam", 5, ChunkFilter.none(), ChunkSet.LATEST))
                .extracting(ChunkHit::documentId).containsOnly(other.toString());
        assertThat(index.matching(space, "ordered", 5, ChunkFilter.none(), ChunkSet.LATEST))
                .extracting(ChunkHit::documentId).containsOnly(other.toString());
        // nothing searchable: no match, no failure
        assertThat(index.matching(space, "the and", 5, ChunkFilter.none(), ChunkSet.LATEST)).isEmpty();
        assertThat(index.matching(space, "?!", 5, ChunkFilter.none(), ChunkSet.LATEST)).isEmpty();
    }

    @Test
    void shouldRankTheDocumentWithAllTermsFirstWhateverTheOrderOfWrites() {
        // the holder of the order number is written first: BM25 statistics must still cover every row
        DocumentId holder = DocumentId.random();
        index.replaceVersion(space, holder, 1, List.of(chunk(0, "Incident report: a forklift hit rack C7 while "
                + "loading pallets for ORD-99812-XK; nobody was hurt and the rack was cleared", 0)));
        DocumentId explainer = DocumentId.random();
        index.replaceVersion(space, explainer, 1, List.of(chunk(0, "Every order number starts with ORD", 1)));
        for (int i = 0; i < 12; i++) {
            index.replaceVersion(space, DocumentId.random(), 1, List.of(chunk(0, "unrelated note " + i, 2)));
        }
        assertThat(index.matching(space, "ORD-99812-XK", 3, ChunkFilter.none(), ChunkSet.LATEST))
                .extracting(ChunkHit::documentId).containsExactly(holder.toString(), explainer.toString());
    }

    @Test
    void shouldAnswerAQueryWithoutSearchableTermsWithNothingWhenOnlyPartOfTheRowsIsIndexed() throws Exception {
        index.replaceVersion(space, DocumentId.random(), 1, List.of(chunk(0, "the cat and the hat", 0)));
        try (var allocator = new org.apache.arrow.memory.RootAllocator();
             var dataset = org.lance.Dataset.open().allocator(allocator).uri(index.datasetPath(space).toString())
                     .build()) {
            LanceScans.createFullTextIndexIfMissing(dataset, "text");
        }
        index.replaceVersion(space, DocumentId.random(), 1, List.of(chunk(0, "the dog and the log", 1)));

        assertThat(index.matching(space, "the and", 5, ChunkFilter.none(), ChunkSet.LATEST)).isEmpty();
        assertThat(index.matching(space, "dog", 5, ChunkFilter.none(), ChunkSet.LATEST)).hasSize(1);
        assertThat(index.matching(space, "cat", 5, ChunkFilter.none(), ChunkSet.LATEST)).hasSize(1);
    }

    @Test
    void shouldApplyTheFilterBeforeTopK() {
        List<DocumentId> noise = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            DocumentId id = DocumentId.random();
            noise.add(id);
            index.replaceVersion(space, id, 1, List.of(chunk(0, "coffee machine coffee machine " + i, 0)));
        }
        DocumentId wanted = DocumentId.random();
        index.replaceVersion(space, wanted, 1, List.of(chunk(0, "coffee budget", 3), chunk(1, "coffee", 3)));
        ChunkFilter only = new ChunkFilter(Set.of(wanted.value()), null);

        assertThat(index.matching(space, "coffee machine", 2, only, ChunkSet.LATEST))
                .extracting(ChunkHit::documentId).containsExactly(wanted.toString(), wanted.toString());
        assertThat(index.nearest(space, axis(0), 2, only, ChunkSet.LATEST))
                .extracting(ChunkHit::documentId).containsExactly(wanted.toString(), wanted.toString());
        assertThat(index.nearest(space, axis(0), 2, new ChunkFilter(Set.of(), null), ChunkSet.LATEST)).isEmpty();
        assertThat(index.nearest(space, axis(0), 40, ChunkFilter.none(), ChunkSet.LATEST)).hasSize(32);
        assertThat(noise).hasSize(30);
    }

    @Test
    void shouldKeepSupersededVersionsInTheHistoryUntilTheDocumentIsDeleted() {
        DocumentId plants = DocumentId.random();
        index.replaceVersion(space, plants, 1, List.of(chunk(0, "Marisol waters the plants", 0)));
        index.replaceVersion(space, plants, 2, List.of(chunk(0, "Jonathan waters the plants", 0)));
        index.deleteOtherVersions(space, plants, 2);

        assertThat(index.matching(space, "Marisol", 5, ChunkFilter.none(), ChunkSet.LATEST)).isEmpty();
        List<ChunkHit> history = index.matching(space, "Marisol", 5, new ChunkFilter(null, 1), ChunkSet.ALL_VERSIONS);
        assertThat(history).extracting(ChunkHit::version).containsExactly(1);
        assertThat(index.nearest(space, axis(0), 5, new ChunkFilter(null, 2), ChunkSet.ALL_VERSIONS))
                .extracting(ChunkHit::text).containsExactly("Jonathan waters the plants");
        // re-indexing a version does not duplicate it in the history either
        index.replaceVersion(space, plants, 2, List.of(chunk(0, "Jonathan waters the plants", 0)));
        assertThat(index.nearest(space, axis(0), 5, ChunkFilter.none(), ChunkSet.ALL_VERSIONS)).hasSize(2);

        index.deleteDocument(space, plants);
        assertThat(index.nearest(space, axis(0), 5, ChunkFilter.none(), ChunkSet.ALL_VERSIONS)).isEmpty();
        assertThat(index.versionsPath(space).getFileName().toString()).isEqualTo("versions.lance");
    }

    private static IndexedChunk chunk(int index, String text, int axis) {
        return new IndexedChunk(index, "title", text, axis(axis));
    }

    private static float[] axis(int i) {
        float[] v = new float[DIM];
        v[i] = 1;
        return v;
    }
}
