package io.dynamicrag.app;

import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.ingestion.api.query.ActiveDocumentVersion;
import io.dynamicrag.kernel.ingestion.api.query.FindActiveDocumentVersionsQuery;
import io.dynamicrag.kernel.search.api.query.FindVisibleDocumentsQuery;
import io.dynamicrag.kernel.search.api.query.SearchFilters;
import io.dynamicrag.kernel.search.api.query.SearchableDocument;
import io.dynamicrag.kernel.search.api.query.VisibleDocuments;
import io.dynamicrag.kernel.tenancy.api.TenantConfiguration;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantConfigurationQuery;
import io.dynamicrag.kernel.tenancy.api.query.FindTenantsAwayFromConfiguredModelQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel queries through which the processors read the query side's read models: each answers only the asking
 * tenant's rows, with what the processors read from the tables before.
 */
class ReadModelQueriesIntegrationTest extends IntegrationTest {

    @Autowired
    private QueryGateway queries;

    @Test
    void visibleDocumentsAndActiveVersionsAreTheAskingTenantsOnly() {
        Tenant owner = signUp();
        Tenant other = signUp();
        String id = ingest(owner, Map.of("title", "Quarterly memo", "doc_type", "md",
                "metadata", Map.of("team", "finance"), "content", "The quarter closed with a surplus."))
                .get("document_id").asText();
        assertThat(awaitFinalStatus(owner, id).get("status").asText()).isEqualTo("completed");
        DocumentId document = DocumentId.of(id);
        TenantId owners = tenant(owner);
        TenantId others = tenant(other);

        assertThat(visible(new FindVisibleDocumentsQuery(owners, SearchFilters.none(), List.of(document), null)))
                .containsExactly(new SearchableDocument(document, 1, "Quarterly memo", "md", null));
        // another tenant naming the document, as a candidate or in a filter, sees nothing
        assertThat(visible(new FindVisibleDocumentsQuery(others, SearchFilters.none(), List.of(document), null)))
                .isEmpty();
        assertThat(visible(new FindVisibleDocumentsQuery(others,
                new SearchFilters(List.of(document), null, null, null, null), null, null))).isEmpty();

        // filters: type (case-insensitive), metadata containment, creation time
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        assertThat(visible(new FindVisibleDocumentsQuery(owners,
                new SearchFilters(null, " MD ", Map.of("team", "finance"), hourAgo, null), null, null)))
                .extracting(SearchableDocument::documentId).containsExactly(document);
        assertThat(visible(new FindVisibleDocumentsQuery(owners,
                new SearchFilters(null, null, Map.of("team", "ops"), null, null), null, null))).isEmpty();
        assertThat(visible(new FindVisibleDocumentsQuery(owners,
                new SearchFilters(null, null, null, null, hourAgo), null, null))).isEmpty();
        // history: version 1 completed, version 2 does not exist
        assertThat(visible(new FindVisibleDocumentsQuery(owners, SearchFilters.none(), List.of(document), 1)))
                .extracting(SearchableDocument::version).containsExactly(1);
        assertThat(visible(new FindVisibleDocumentsQuery(owners, SearchFilters.none(), List.of(document), 2)))
                .isEmpty();

        assertThat(activeVersions(owners)).containsExactly(new ActiveDocumentVersion(document, 1, "Quarterly memo"));
        assertThat(activeVersions(others)).isEmpty();
    }

    @Test
    void tenantConfigurationAndTheModelSweep() {
        Tenant tenant = signUp();
        TenantId id = tenant(tenant);

        Optional<TenantConfiguration> configuration = queries.query(new FindTenantConfigurationQuery(id),
                ResponseTypes.optionalInstanceOf(TenantConfiguration.class)).join();
        assertThat(configuration).get().satisfies(c -> {
            assertThat(c.chunkingSize()).isEqualTo(1000);
            assertThat(c.chunkingOverlap()).isEqualTo(200);
            assertThat(c.chunkingStrategy()).isEqualTo("fixed");
            assertThat(c.embeddingModel()).isEqualTo(TenantConfiguration.LOCAL_EMBEDDING_MODEL);
        });
        assertThat(queries.query(new FindTenantConfigurationQuery(new TenantId(UUID.randomUUID())),
                ResponseTypes.optionalInstanceOf(TenantConfiguration.class)).join()).isEmpty();

        String initial = TenantConfiguration.LOCAL_EMBEDDING_MODEL;
        // configured for the local model and served on it: not away, with or without other tenants' generations
        assertThat(away(Map.of(), initial)).doesNotContain(id);
        assertThat(away(Map.of(new TenantId(UUID.randomUUID()), "text-embedding-3-small"), initial))
                .doesNotContain(id);
        // served on another model than the configured one: away
        assertThat(away(Map.of(id, "text-embedding-3-small"), initial)).contains(id);
    }

    private List<SearchableDocument> visible(FindVisibleDocumentsQuery query) {
        return queries.query(query, ResponseTypes.instanceOf(VisibleDocuments.class)).join().documents();
    }

    private List<ActiveDocumentVersion> activeVersions(TenantId tenant) {
        return queries.query(new FindActiveDocumentVersionsQuery(tenant),
                ResponseTypes.multipleInstancesOf(ActiveDocumentVersion.class)).join();
    }

    private List<TenantId> away(Map<TenantId, String> serving, String initial) {
        return queries.query(new FindTenantsAwayFromConfiguredModelQuery(serving, initial),
                ResponseTypes.multipleInstancesOf(TenantId.class)).join();
    }

    private static TenantId tenant(Tenant tenant) {
        return new TenantId(UUID.fromString(tenant.id()));
    }
}
