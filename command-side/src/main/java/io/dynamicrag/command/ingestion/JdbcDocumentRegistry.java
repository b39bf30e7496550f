package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
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
        // The tenant's count row, locked by this update until the command commits, serialises document creation
        // per tenant: concurrent requests cannot both take the last free slot. (A count(*) of the registry under a
        // lock, before, cost more the more documents the tenant had.)
        List<Integer> counted = jdbc.queryForList("""
                INSERT INTO tenant_document_counts AS counts (tenant_id, documents) VALUES (?, 1)
                ON CONFLICT (tenant_id) DO UPDATE SET documents = counts.documents + 1
                WHERE counts.documents < ?
                RETURNING documents""", Integer.class, tenant.value(), maxDocuments);
        if (counted.isEmpty() || counted.get(0) > maxDocuments) {
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
        jdbc.update("""
                WITH gone AS (DELETE FROM document_registry WHERE document_id = ? RETURNING tenant_id)
                UPDATE tenant_document_counts counts SET documents = counts.documents - 1
                FROM gone WHERE counts.tenant_id = gone.tenant_id""", document.value());
    }
}
