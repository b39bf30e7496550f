package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.processing.embedding.FakeOpenAiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pipeline step takes as long as its document needs. Axon limits every command handler to 30 s by default, which
 * failed large documents with "embed: internal error (AxonTimeoutException)" (a 500 KB text, 630 chunks, did). Here
 * the same limit is lowered to 3 s for this context and an OpenAI-wire server answers each embedding request after
 * 5 s: the document must still complete, while aggregate command handlers keep Axon's limit.
 *
 * <p>Its own properties make a context of its own: closed after the class, so that its event processors do not
 * keep competing with the shared context's for the same database's segments in the tests that follow.
 */
@DirtiesContext
class LongPipelineStepIntegrationTest extends IntegrationTest {

    private static final String OPENAI_KEY = "sk-test-slow-tenant-0123456789";
    private static final String MODEL = "text-embedding-3-small";
    private static final FakeOpenAiServer OPENAI = start();

    @DynamicPropertySource
    static void slowEmbedderAndShortHandlerLimit(DynamicPropertyRegistry registry) {
        registry.add("rag.openai.base-url", OPENAI::baseUrl);
        registry.add("axon.timeout.handler.commands.timeout-ms", () -> "3000");
    }

    @AfterAll
    static void stop() {
        OPENAI.close();
    }

    @Test
    void anEmbeddingStepLongerThanAxonsHandlerLimitCompletes() {
        Tenant tenant = signUp();
        http.put().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("embedding_model", MODEL, "openai_api_key", OPENAI_KEY))
                .exchange()
                .expectStatus().isOk();
        awaitReady(tenant);

        OPENAI.delayResponses(Duration.ofSeconds(5));
        String text = "A document whose embedding takes five seconds, longer than the command handler limit.";
        String id = ingest(tenant, Map.of("title", "Slow embedding", "doc_type", "txt", "content", text))
                .get("document_id").asText();

        JsonNode status = awaitFinalStatus(tenant, id);
        assertThat(status.get("status").asText()).as("final status: %s", status).isEqualTo("completed");
        assertThat(OPENAI.requests()).as("the chunk went to the slow server")
                .anySatisfy(request -> assertThat(request.inputs()).contains(text));
    }

    private void awaitReady(Tenant tenant) {
        awaitTrue(Duration.ofSeconds(60), () -> "ready".equals(http.get().uri("/api/customers/config")
                .header("X-API-Key", tenant.apiKey())
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("embedding_status").asText()));
    }

    private static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
