package io.dynamicrag.query.mcp;

import io.dynamicrag.kernel.ids.DocumentId;

/** Another tenant's document gets the same answer as one that does not exist: nothing leaks across tenants. */
final class DocumentNotFound {

    private DocumentNotFound() {
    }

    static ToolError of(DocumentId id) {
        return new ToolError("Document " + id + " not found");
    }
}
