package io.dynamicrag.query.documents;

import io.dynamicrag.kernel.ids.DocumentId;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The one answer for a document the caller cannot see: unknown, another tenant's, or an id that cannot name any
 * document at all. All three are the same 404, so an id's shape or existence never leaks across tenants.
 */
public final class DocumentNotFound {

    private DocumentNotFound() {
    }

    /** The id from a path, or the 404 when it is malformed. */
    public static DocumentId parse(String id) {
        try {
            return DocumentId.of(id);
        } catch (IllegalArgumentException e) {
            throw error(id);
        }
    }

    public static ResponseStatusException error(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Document " + id + " not found");
    }
}
