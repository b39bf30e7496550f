package io.dynamicrag.kernel.search.api.query;

import io.dynamicrag.kernel.ids.DocumentId;

/** A document a search may return, at the version it may return, with what the read model says about it. */
public record SearchableDocument(DocumentId documentId, int version, String title, String docType,
                                 String sourceUrl) {
}
