package io.dynamicrag.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamicrag.app.support.IntegrationTest;
import io.dynamicrag.app.support.WebhookCallbackReceiver;
import io.dynamicrag.app.support.WebhookCallbackReceiver.Received;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Completion callbacks: signed, retried, and sent for failures too, to a receiver on 127.0.0.1. */
class WebhookCallbackIntegrationTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aCompletedDocumentIsReportedWithAValidSignature() throws Exception {
        try (WebhookCallbackReceiver receiver = WebhookCallbackReceiver.start()) {
            Tenant tenant = signUp();
            JsonNode webhook = create(tenant, receiver.url(), "md");
            String documentId = deliver(webhook, "{\"title\": \"Done\", \"content\": \"# Done\\nThis one works.\"}");

            Received callback = receiver.next(WAIT);
            assertThat(JSON.readTree(callback.body())).isEqualTo(JSON.readTree(
                    "{\"document_id\":\"" + documentId + "\",\"version\":1,\"status\":\"completed\"}"));
            assertThat(callback.header("Content-Type")).startsWith("application/json");
            assertThat(callback.header("X-RAG-Webhook-Id")).isEqualTo(webhook.get("id").asText());
            assertValidSignature(callback, webhook.get("signing_secret").asText());
            long timestamp = Long.parseLong(callback.header("X-RAG-Timestamp"));
            assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(120);
            assertThat(awaitFinalStatus(tenant, documentId).get("status").asText()).isEqualTo("completed");

            // a document sent through the ordinary API has no webhook, hence no callback
            String plain = ingest(tenant, Map.of("title", "Plain", "doc_type", "txt",
                    "content", "Not through a webhook.")).get("document_id").asText();
            assertThat(awaitFinalStatus(tenant, plain).get("status").asText()).isEqualTo("completed");
            Awaitility.await("no callback for the plain document").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10)).until(() -> receiver.all().size() == 1);
        }
    }

    @Test
    void aFailingReceiverGetsThreeAttemptsWithTheSameDelivery() throws Exception {
        try (WebhookCallbackReceiver receiver = WebhookCallbackReceiver.start(500, 500)) {
            Tenant tenant = signUp();
            JsonNode webhook = create(tenant, receiver.url(), null);
            String documentId = deliver(webhook, "{\"title\": \"Retry\", \"content\": \"Retried callback.\"}");

            Received first = receiver.next(WAIT);
            Received second = receiver.next(Duration.ofSeconds(20));
            Received third = receiver.next(Duration.ofSeconds(20));
            // no fourth attempt after a success, however long one waits past the retry delays
            Awaitility.await("no fourth attempt").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.all().size() == 3);
            List<Received> all = receiver.all();
            assertThat(all).hasSize(3);
            for (Received attempt : List.of(first, second, third)) {
                assertThat(new String(attempt.body(), StandardCharsets.UTF_8)).contains(documentId)
                        .contains("\"status\":\"completed\"");
                assertThat(attempt.header("X-RAG-Delivery")).isEqualTo(first.header("X-RAG-Delivery"));
                assertValidSignature(attempt, webhook.get("signing_secret").asText());
            }
        }
    }

    @Test
    void aFailedDocumentIsReportedAsFailed() throws Exception {
        try (WebhookCallbackReceiver receiver = WebhookCallbackReceiver.start()) {
            Tenant tenant = signUp();
            JsonNode webhook = create(tenant, receiver.url(), "html");
            // HTML without any text: parsing finds nothing to index and the document fails
            String documentId = deliver(webhook, "{\"title\": \"Blank\", "
                    + "\"content\": \"<html><body><p> </p></body></html>\"}");

            Received callback = receiver.next(WAIT);
            assertThat(JSON.readTree(callback.body())).isEqualTo(JSON.readTree(
                    "{\"document_id\":\"" + documentId + "\",\"version\":1,\"status\":\"failed\"}"));
            assertValidSignature(callback, webhook.get("signing_secret").asText());
            assertThat(awaitFinalStatus(tenant, documentId).get("status").asText()).isEqualTo("failed");
        }
    }

    private JsonNode create(Tenant tenant, String callbackUrl, String docType) {
        Map<String, Object> config = docType == null ? Map.of("callback_url", callbackUrl)
                : Map.of("callback_url", callbackUrl, "doc_type", docType);
        JsonNode created = http.post().uri("/api/webhooks").header("X-API-Key", tenant.apiKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "With callback", "config", config))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(created.get("config").get("callback_url").asText()).isEqualTo(callbackUrl);
        return created;
    }

    private String deliver(JsonNode webhook, String json) {
        return http.post().uri(URI.create(webhook.get("webhook_url").asText()).getPath())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("document_id").asText();
    }

    /** What a receiver does: HMAC-SHA256 over the raw body with the signing secret, compared in constant time. */
    private static void assertValidSignature(Received callback, String signingSecret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(callback.body()));
        String actual = callback.header("X-RAG-Signature");
        assertThat(actual).isNotNull();
        assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII))).as("signature %s", actual).isTrue();
    }
}
