package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexMaintenance;
import io.dynamicrag.processing.index.IndexMaintenanceJob;
import io.dynamicrag.processing.index.MaintainedDataset;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.LanceTenantChunkIndex;
import io.dynamicrag.processing.index.TenantIndexSpaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant index manager in the running service: more tenants than open-dataset slots ({@code rag.index.cache-size}
 * is 3 in every integration test), searched concurrently through {@code POST /search}, each answer from the caller's
 * own dataset; the worker role's maintenance job builds the tenants' indexes while the searches run.
 */
class TenantIndexManagerIntegrationTest extends IntegrationTest {

    private static final int TENANTS = 5;
    private static final int SEARCHES_PER_TENANT = 12;

    @Autowired
    LanceTenantChunkIndex index;

    @Autowired
    TenantIndexSpaces spaces;

    @Autowired
    IndexMaintenanceJob maintenanceJob;

    @Test
    void shouldAnswerConcurrentSearchesOfMoreTenantsThanCacheSlotsEachFromItsOwnDataset() throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            Tenant tenant = signUp();
            tenants.add(tenant);
            documents.add(ingest(tenant, Map.of("title", "Ledger " + i, "doc_type", "txt",
                    "content", "Tenant " + i + " keeps its ledger of invoices and shipments here."))
                    .get("document_id").asText());
        }
        for (int i = 0; i < TENANTS; i++) {
            assertThat(awaitFinalStatus(tenants.get(i), documents.get(i)).get("status").asText())
                    .isEqualTo("completed");
        }
        long opensBefore = index.datasetCache().opens();
        for (Tenant tenant : tenants) { // passes queued on the job's thread, running beside the searches below
            IndexSpace space = spaces.serving(TenantId.of(tenant.id()));
            maintenanceJob.request(new MaintainedDataset(space.tenant(), space.generation(), index.datasetPath(space)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> searches = new ArrayList<>();
        for (int round = 0; round < SEARCHES_PER_TENANT; round++) {
            for (int i = 0; i < TENANTS; i++) {
                int tenant = i;
                searches.add(pool.submit(() -> {
                    JsonNode results = search(tenants.get(tenant), "ledger of invoices", 5).get("results");
                    assertThat(results).as("tenant %d sees exactly its own document", tenant).hasSize(1);
                    assertThat(results.get(0).get("document_id").asText()).isEqualTo(documents.get(tenant));
                }));
            }
        }
        for (Future<?> search : searches) {
            search.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(index.datasetCache().size()).as("never more cached than rag.index.cache-size")
                .isLessThanOrEqualTo(3);
        assertThat(index.datasetCache().opens() - opensBefore)
                .as("five tenants over three slots: datasets were evicted and re-opened")
                .isGreaterThan(TENANTS);

        for (Tenant tenant : tenants) {
            IndexSpace space = spaces.serving(TenantId.of(tenant.id()));
            assertThat(awaitIndexes(space)).as("maintenance built the document_id and full-text indexes")
                    .contains(IndexMaintenance.DOCUMENT_ID_INDEX, IndexMaintenance.FULL_TEXT_INDEX);
        }
    }

    /** Maintenance runs on its own thread after the write: wait for it (a few seconds at most). */
    private List<String> awaitIndexes(IndexSpace space) {
        return awaitValue("two indexes on " + space, Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> index.read(space, "list its indexes", dataset -> dataset.listIndexes(), List::<String>of),
                names -> names.size() >= 2);
    }
}
