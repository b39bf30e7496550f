package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.search.api.query.SearchFilters;

import java.util.List;

/** Reads the {@code filters} argument of the search tools into the kernel's {@link SearchFilters}. */
final class SearchFilterArguments {

    static final String NAME = "filters";
    private static final List<String> FIELDS =
            List.of("document_ids", "doc_type", "metadata", "created_after", "created_before");

    private SearchFilterArguments() {
    }

    static SearchFilters read(ToolArguments arguments) {
        ToolArguments filters = arguments.optionalObject(NAME, FIELDS);
        if (filters.isEmpty()) {
            return SearchFilters.none();
        }
        SearchFilters result = new SearchFilters(
                filters.optionalDocumentIds("document_ids", 100),
                lowerCase(filters.optionalText("doc_type", 20)),
                filters.optionalStringMap("metadata", 20),
                filters.optionalInstant("created_after"),
                filters.optionalInstant("created_before"));
        if (result.createdAfter() != null && result.createdBefore() != null
                && !result.createdAfter().isBefore(result.createdBefore())) {
            throw new ToolError("filters.created_after must be before filters.created_before");
        }
        return result;
    }

    private static String lowerCase(String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }
}
