package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** {@code document_registry} in PostgreSQL, inside the command's transaction. */
@Component
class JdbcDocumentRegistry implements DocumentRegistry {

    private final JdbcTemplate jdbc;

    JdbcDocumentRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void register(TenantId tenant, DocumentId document, String identityKey, int maxDocuments) {
        // Serialises document creation per tenant, so concurrent requests cannot both take the last free slot.
        jdbc.queryForList("SELECT 1 FROM tenant_credentials WHERE tenant_id = ? FOR UPDATE", tenant.value());
        Integer count = jdbc.queryForObject("SELECT count(*) FROM document_registry WHERE tenant_id = ?",
                Integer.class, tenant.value());
        if (count != null && count >= maxDocuments) {
            throw new DocumentLimitReachedException(maxDocuments);
        }
        try {
            jdbc.update("INSERT INTO document_registry (document_id, tenant_id, identity_key) VALUES (?, ?, ?)",
                    document.value(), tenant.value(), identityKey);
        } catch (DuplicateKeyException e) {
            throw new IdentityTakenException(findByIdentity(tenant, identityKey).orElseThrow(() -> e));
        }
    }

    @Override
    public Optional<DocumentId> findByIdentity(TenantId tenant, String identityKey) {
        if (identityKey == null) {
            return Optional.empty();
        }
        return jdbc.query("SELECT document_id FROM document_registry WHERE tenant_id = ? AND identity_key = ?",
                (rs, i) -> new DocumentId(rs.getObject(1, UUID.class)), tenant.value(), identityKey)
                .stream().findFirst();
    }

    @Override
    public void unregister(DocumentId document) {
        jdbc.update("DELETE FROM document_registry WHERE document_id = ?", document.value());
    }
}
