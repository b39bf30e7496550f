package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LanceTenantCatalogTest {

    private static final int DIM = 4;

    @TempDir
    Path dataDir;

    private LanceTenantCatalog catalog;
    private final IndexSpace tenant = new IndexSpace(TenantId.random(), 0, "test-model", DIM);
    private final DocumentId boiler = DocumentId.random();
    private final DocumentId garden = DocumentId.random();

    @BeforeEach
    void setUp() {
        catalog = new LanceTenantCatalog(dataDir);
        catalog.put(tenant, entry(boiler, 1, "Boiler manual", "Bleed the radiators and check the boiler pressure.",
                new float[]{1, 0, 0, 0}));
        catalog.put(tenant, entry(garden, 1, "Garden", "Prune the roses in late winter.", new float[]{0, 1, 0, 0}));
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    @Test
    void shouldFindDocumentsByVectorAndByKeywordsInTitleOrSummary() {
        assertThat(catalog.datasetPath(tenant).getFileName().toString()).isEqualTo("catalog.lance");
        List<CatalogHit> byVector = catalog.nearest(tenant, new float[]{0, 1, 0, 0}, 2, ChunkFilter.none());
        assertThat(byVector).extracting(CatalogHit::documentId).containsExactly(garden.toString(), boiler.toString());
        assertThat(byVector.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(byVector.get(0).title()).isEqualTo("Garden");
        assertThat(byVector.get(0).docType()).isEqualTo("txt");
        assertThat(byVector.get(0).sourceUrl()).isEqualTo("https://example.com/Garden");

        assertThat(catalog.matching(tenant, "radiators", 5, ChunkFilter.none()))
                .extracting(CatalogHit::documentId).containsExactly(boiler.toString());
        assertThat(catalog.matching(tenant, "manual", 5, ChunkFilter.none()))
                .extracting(CatalogHit::documentId).containsExactly(boiler.toString());
        assertThat(catalog.matching(tenant, "tulips", 5, ChunkFilter.none())).isEmpty();
        assertThat(catalog.matching(tenant, "the and", 5, ChunkFilter.none())).isEmpty();
        assertThat(catalog.matching(tenant, "!!!", 5, ChunkFilter.none())).isEmpty();
    }

    @Test
    void shouldApplyTheFilterBeforeTopK() {
        ChunkFilter onlyBoiler = new ChunkFilter(Set.of(boiler.value()), null);
        assertThat(catalog.nearest(tenant, new float[]{0, 1, 0, 0}, 1, onlyBoiler))
                .extracting(CatalogHit::documentId).containsExactly(boiler.toString());
        assertThat(catalog.matching(tenant, "roses", 5, onlyBoiler)).isEmpty();
        assertThat(catalog.nearest(tenant, new float[]{0, 1, 0, 0}, 5, new ChunkFilter(Set.of(), null))).isEmpty();
    }

    @Test
    void shouldReplaceVersionsAndForgetDeletedDocuments() {
        catalog.put(tenant, entry(boiler, 2, "Boiler manual", "Version two: the boiler needs a yearly service.",
                new float[]{1, 0, 0, 0}));
        catalog.put(tenant, entry(boiler, 2, "Boiler manual", "Version two: the boiler needs a yearly service.",
                new float[]{1, 0, 0, 0}));
        assertThat(catalog.nearest(tenant, new float[]{1, 0, 0, 0}, 10, ChunkFilter.none()))
                .extracting(CatalogHit::version).containsExactlyInAnyOrder(1, 2, 1);
        catalog.deleteOtherVersions(tenant, boiler, 2);
        assertThat(catalog.nearest(tenant, new float[]{1, 0, 0, 0}, 10, new ChunkFilter(Set.of(boiler.value()), null)))
                .extracting(CatalogHit::version).containsExactly(2);
        catalog.deleteDocument(tenant, boiler);
        assertThat(catalog.nearest(tenant, new float[]{1, 0, 0, 0}, 10, ChunkFilter.none()))
                .extracting(CatalogHit::documentId).containsExactly(garden.toString());
        // another tenant has no catalog at all
        assertThat(catalog.nearest(new IndexSpace(TenantId.random(), 0, "test-model", DIM), new float[]{1, 0, 0, 0}, 10, ChunkFilter.none())).isEmpty();
    }

    @Test
    void shouldKeepTheFirstThousandCharactersAsTheSummary() {
        assertThat(CatalogEntry.summaryOf("  short  ")).isEqualTo("short");
        assertThat(CatalogEntry.summaryOf("x".repeat(5000))).hasSize(CatalogEntry.SUMMARY_CHARACTERS);
        assertThat(CatalogEntry.summaryOf("x".repeat(999) + "\uD83D\uDE00")).hasSize(999);
    }

    private static CatalogEntry entry(DocumentId id, int version, String title, String summary, float[] vector) {
        return new CatalogEntry(id, version, title, "txt", "https://example.com/" + title, summary, vector);
    }
}
