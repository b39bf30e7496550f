package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;

/** Another document already has this identity: the submission is a new version of that one instead. */
public class IdentityTakenException extends RuntimeException {

    private final DocumentId existing;

    public IdentityTakenException(DocumentId existing) {
        super("document identity already taken by " + existing);
        this.existing = existing;
    }

    public DocumentId existing() {
        return existing;
    }
}
