package io.dynamicrag.kernel.webhooks;

/**
 * A document delivered through a webhook carries the webhook's id in its metadata under {@link #WEBHOOK_ID}: the
 * inbound path sets it (overriding whatever the payload said), the completion callbacks read it from the
 * submission event to know whom to notify.
 */
public final class WebhookDocumentMetadata {

    public static final String WEBHOOK_ID = "webhook_id";

    private WebhookDocumentMetadata() {
    }
}
