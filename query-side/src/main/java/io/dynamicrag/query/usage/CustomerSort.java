package io.dynamicrag.query.usage;

import java.util.Locale;

/** How the admin customer list sorts: each value maps to a fixed SQL expression (never client text). */
enum CustomerSort {
    COST("total_cost"), TOKENS("total_tokens"), DOCUMENTS("total_documents"), CREATED("c.created_at");

    private final String column;

    CustomerSort(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }

    static CustomerSort parse(String value) {
        if (value == null || value.isBlank()) {
            return COST;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("sort", "must be one of cost, tokens, documents, created");
        }
    }
}
