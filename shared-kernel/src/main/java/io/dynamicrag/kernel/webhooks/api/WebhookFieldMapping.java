package io.dynamicrag.kernel.webhooks.api;

/**
 * Where each document field is read from in what a workflow posts: a top-level field name, a dotted path
 * ({@code ticket.body.text}, {@code items.0.title}) or a JSON Pointer ({@code /ticket/body/text}). A null entry, or a
 * path absent from a payload, falls back to the usual names of the generic webhook.
 */
public record WebhookFieldMapping(String title, String content, String externalId, String sourceUrl,
                                  String docType) {

    public static WebhookFieldMapping none() {
        return new WebhookFieldMapping(null, null, null, null, null);
    }
}
