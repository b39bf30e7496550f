package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

import java.util.Optional;

/**
 * The set-based rules of documents, checked in the command's transaction: a tenant's document count limit and the
 * uniqueness of a document's identity ({@code external_id}, else {@code source_url}) within its tenant.
 */
public interface DocumentRegistry {

    /**
     * Registers a new document. Throws {@link DocumentLimitReachedException} when the tenant already has
     * {@code maxDocuments}, and {@link IdentityTakenException} when another document has the identity.
     */
    void register(TenantId tenant, DocumentId document, String identityKey, int maxDocuments);

    Optional<DocumentId> findByIdentity(TenantId tenant, String identityKey);

    /** Forgets a deleted document: it no longer counts, and its identity is free again. */
    void unregister(DocumentId document);
}
