package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.processing.index.IndexSpace;
import io.dynamicrag.processing.index.TenantChunkIndex;
import io.dynamicrag.processing.pipeline.ProcessDocumentCommand;
import io.dynamicrag.processing.pipeline.StalledPipelineRecovery;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Live status over SSE, failed work listed and retried, and a pipeline whose worker vanished mid-run recovers. */
class PipelineIntegrationTest extends IntegrationTest {

    @Autowired
    private CommandBus commandBus;

    @Autowired
    private StalledPipelineRecovery recovery;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private TenantChunkIndex index;

    @Test
    void statusStreamsAsServerSentEventsUntilCompleted() {
        Tenant tenant = signUp();
        String id = ingest(tenant, Map.of("title", "Streamed", "doc_type", "txt",
                "content", "A document whose progress is watched live.")).get("document_id").asText();
        List<ServerSentEvent<JsonNode>> events = http.get().uri("/api/documents/{id}/events", id)
                .header("X-API-Key", tenant.apiKey())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
                })
                .getResponseBody()
                .filter(event -> event.data() != null)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).data().get("status").asText()).isEqualTo("completed");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.event()).isEqualTo("status");
            assertThat(event.data().get("document_id").asText()).isEqualTo(id);
        });

        // another tenant, or an unknown id, gets a 404 and no stream
        http.get().uri("/api/documents/{id}/events", id).header("X-API-Key", signUp().apiKey())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isNotFound();
    }

    @Test
    void failedWorkIsListedAndCanBeRetried() {
        Tenant tenant = signUp();
        String failed = ingest(tenant, Map.of("title", "Empty page", "doc_type", "html",
                "content", "<html><body><script>x()</script></body></html>")).get("document_id").asText();
        String fine = ingest(tenant, Map.of("title", "Fine", "doc_type", "txt", "content", "All good."))
                .get("document_id").asText();
        assertThat(awaitFinalStatus(tenant, failed).get("status").asText()).isEqualTo("failed");
        awaitFinalStatus(tenant, fine);

        JsonNode list = http.get().uri("/api/documents?status=failed").header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("documents").get(0).get("id").asText()).isEqualTo(failed);
        assertThat(list.get("documents").get(0).get("error_message").asText()).contains("no text");

        JsonNode retried = http.post().uri("/api/documents/{id}/retry", failed).header("X-API-Key", tenant.apiKey())
                .exchange().expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(retried.get("status").asText()).isEqualTo("processing");
        assertThat(awaitFinalStatus(tenant, failed).get("status").asText()).isEqualTo("failed");
        http.get().uri("/api/documents?status=bogus").header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void aPipelineWhoseWorkerVanishedIsResumedAndIndexesEachChunkOnce() {
        Tenant tenant = signUp();
        TenantId tenantId = TenantId.of(tenant.id());
        AtomicBoolean dropped = new AtomicBoolean();
        // the first processing command of this tenant is lost, as if the worker holding it was killed
        MessageHandlerInterceptor<CommandMessage<?>> crash = (unitOfWork, chain) -> {
            Object payload = unitOfWork.getMessage().getPayload();
            if (payload instanceof ProcessDocumentCommand parse && parse.tenantId().equals(tenantId)
                    && dropped.compareAndSet(false, true)) {
                return null;
            }
            return chain.proceed();
        };
        Registration registration = commandBus.registerHandlerInterceptor(crash);
        String id;
        try {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                text.append("Section ").append(i).append(" covers crane maintenance and safety inspections. ");
            }
            id = ingest(tenant, Map.of("title", "Cranes", "doc_type", "txt", "content", text.toString()))
                    .get("document_id").asText();
            awaitTrue(Duration.ofSeconds(30), dropped::get);
            // the lost command leaves the document stuck: it stays "processing", no step moves it on
            org.awaitility.Awaitility.await("document stays processing").during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                    .until(() -> "processing".equals(status(tenant, id).get("status").asText()));
        } finally {
            registration.cancel();
        }

        // nothing moves until the stall is noticed; make it look old instead of waiting the real timeout
        jdbc.update("UPDATE documents SET updated_at = now() - interval '1 hour' WHERE id = ?::uuid", id);
        assertThat(recovery.resumeStalled()).isGreaterThanOrEqualTo(1);

        JsonNode done = awaitFinalStatus(tenant, id);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(index.countChunks(IndexSpace.initial(tenantId), DocumentId.of(id))).isEqualTo(done.get("chunk_count").asLong());
    }

    @Test
    void aDocumentWaitingForItsTurnIsNotTakenForStalled() throws Exception {
        Tenant tenant = signUp();
        TenantId tenantId = TenantId.of(tenant.id());
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // the processing step of this tenant waits, as behind a long queue of other work
        MessageHandlerInterceptor<CommandMessage<?>> slow = (unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getPayload() instanceof ProcessDocumentCommand parse
                    && parse.tenantId().equals(tenantId)) {
                held.countDown();
                release.await();
            }
            return chain.proceed();
        };
        Registration registration = commandBus.registerHandlerInterceptor(slow);
        try {
            String id = ingest(tenant, Map.of("title", "Queued", "doc_type", "txt", "content",
                    "Harbour cranes are inspected every spring before the shipping season.")).get("document_id")
                    .asText();
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            jdbc.update("UPDATE documents SET updated_at = now() - interval '1 hour' WHERE id = ?::uuid", id);

            recovery.resumeStalled();
            assertThat(restarts(id)).as("restarts of the waiting document").isZero();

            release.countDown();
            assertThat(awaitFinalStatus(tenant, id).get("status").asText()).isEqualTo("completed");
            assertThat(restarts(id)).isZero();
        } finally {
            release.countDown();
            registration.cancel();
        }
    }

    private int restarts(String documentId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%DocumentReprocessingStartedEvent'""",
                Integer.class, documentId);
    }

    private JsonNode status(Tenant tenant, String id) {
        return http.get().uri("/api/documents/{id}/status", id).header("X-API-Key", tenant.apiKey()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
