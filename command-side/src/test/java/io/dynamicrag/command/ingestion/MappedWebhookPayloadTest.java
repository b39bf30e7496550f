package io.dynamicrag.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.kernel.ids.WebhookId;
import io.dynamicrag.kernel.webhooks.api.WebhookConfig;
import io.dynamicrag.kernel.webhooks.api.WebhookFieldMapping;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MappedWebhookPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookId WEBHOOK = WebhookId.random();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void readsMappedPathsAndMergesMetadata() throws Exception {
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping("subject", "body.text", "/ticket/id",
                "links.0", null), Map.of("source", "n8n", "priority", "normal"), null, "md");
        IngestDocumentRequest request = MappedWebhookPayload.toRequest(json("""
                {"subject": "Printer jam", "body": {"text": "# Floor 3\\nIt jams."}, "ticket": {"id": 4411},
                 "links": ["https://tickets.example.com/4411"], "priority": "high", "webhook_id": "forged",
                 "title": "ignored: the mapping names subject"}"""), config, WEBHOOK);

        assertThat(request.title()).isEqualTo("Printer jam");
        assertThat(request.content()).isEqualTo("# Floor 3\nIt jams.");
        assertThat(request.externalId()).isEqualTo("4411");
        assertThat(request.sourceUrl()).isEqualTo("https://tickets.example.com/4411");
        assertThat(request.docType()).isEqualTo("md");
        assertThat(request.metadata()).containsEntry("source", "n8n").containsEntry("priority", "high")
                .containsEntry("webhook_id", WEBHOOK.toString()).doesNotContainKey("subject");
    }

    @Test
    void fallsBackToTheUsualNamesWhenAMappedPathIsAbsent() throws Exception {
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping("subject", "message", null, null, null),
                Map.of(), null, null);
        IngestDocumentRequest request = MappedWebhookPayload.toRequest(json("""
                {"name": "Fallback title", "text": "<html><body>Hello</body></html>", "id": "x-1"}"""),
                config, WEBHOOK);

        assertThat(request.title()).isEqualTo("Fallback title");
        assertThat(request.content()).startsWith("<html>");
        assertThat(request.docType()).isEqualTo("html");
        assertThat(request.externalId()).isEqualTo("x-1");
    }

    @Test
    void aTopLevelFieldWithDotsInItsNameIsFoundFirst() throws Exception {
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping(null, "a.b", null, null, null), Map.of(),
                null, null);
        IngestDocumentRequest request = MappedWebhookPayload.toRequest(json("""
                {"a.b": "flat", "a": {"b": "nested"}}"""), config, WEBHOOK);
        assertThat(request.content()).isEqualTo("flat");
    }

    @Test
    void theSampleExercisesTheMapping() {
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping("data.subject", "items.0.text", null, null,
                null), Map.of(), null, null);
        IngestDocumentRequest request = MappedWebhookPayload.toRequest(MappedWebhookPayload.sample(config), config,
                WEBHOOK);
        assertThat(request.title()).isEqualTo("Test delivery from Dynamic RAG");
        assertThat(request.content()).startsWith("This is a sample document");
    }

    /** Found by scripts/drill.sh fuzz: a dry run without a sample padded arrays up to each mapped index. */
    @Test
    void theSampleOfAMappingWithHugeArrayIndexesStaysSmallAndIsStillMapped() {
        String deep = "a.999999.b.999999.c.999999.d.999999.e.999999";
        WebhookConfig config = new WebhookConfig(new WebhookFieldMapping("items.0." + deep, deep, "x.999998",
                null, null), Map.of(), null, null);

        JsonNode sample = MappedWebhookPayload.sample(config);

        assertThat(sample.toString().length()).isLessThan(2_000);
        IngestDocumentRequest request = MappedWebhookPayload.toRequest(sample, config, WEBHOOK);
        assertThat(request.title()).isEqualTo("Test delivery from Dynamic RAG");
        assertThat(request.content()).startsWith("This is a sample document");
        assertThat(request.externalId()).isEqualTo("webhook-test-1");
    }
}
