package io.dynamicrag.kernel.ingestion.api.query;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** The processing status of a document, only if it belongs to the tenant. */
public record FindDocumentStatusQuery(TenantId tenantId, DocumentId documentId) {
}
