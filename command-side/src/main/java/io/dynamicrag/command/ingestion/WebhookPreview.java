package io.dynamicrag.command.ingestion;

import java.util.Map;

/** What a webhook would ingest from a payload (its test endpoint): nothing is stored. */
public record WebhookPreview(String title, String contentPreview, String docType, String externalId,
                             String sourceUrl, Map<String, String> metadata) {
}
