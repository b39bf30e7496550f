package io.dynamicrag.kernel.webhooks.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a webhook turns what it receives into documents, and whom it tells when they are done.
 *
 * @param fieldMapping    where title, content, external_id, source_url and doc_type are read from
 * @param defaultMetadata metadata every document of this webhook gets (a payload's own values win)
 * @param callbackUrl     http(s) URL that receives {@code {document_id, version, status}} when a document delivered
 *                        here completes or fails; null for none
 * @param docType         the document type when the payload names none (txt, md, html); null: detected
 */
public record WebhookConfig(WebhookFieldMapping fieldMapping, Map<String, String> defaultMetadata,
                            String callbackUrl, String docType) {

    public WebhookConfig {
        fieldMapping = fieldMapping == null ? WebhookFieldMapping.none() : fieldMapping;
        defaultMetadata = defaultMetadata == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(defaultMetadata));
    }

    public static WebhookConfig defaults() {
        return new WebhookConfig(WebhookFieldMapping.none(), Map.of(), null, null);
    }
}
