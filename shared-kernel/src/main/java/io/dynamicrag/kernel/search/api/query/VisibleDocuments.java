package io.dynamicrag.kernel.search.api.query;

import java.util.List;

/** The answer to {@link FindVisibleDocumentsQuery}, in no particular order. */
public record VisibleDocuments(List<SearchableDocument> documents) {

    public VisibleDocuments {
        documents = List.copyOf(documents);
    }
}
