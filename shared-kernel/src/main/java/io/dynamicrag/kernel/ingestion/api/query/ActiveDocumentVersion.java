package io.dynamicrag.kernel.ingestion.api.query;

import io.dynamicrag.kernel.ids.DocumentId;

/** A document's active version (the one search serves) and its title. */
public record ActiveDocumentVersion(DocumentId documentId, int version, String title) {
}
