package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** The credential table in PostgreSQL; joins the command's JDBC transaction, so it commits with the events. */
@Component
class JdbcTenantCredentialStore implements TenantCredentialStore {

    private final JdbcTemplate jdbc;

    JdbcTenantCredentialStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(TenantId tenant, String email, String passwordHash, String apiKeyHash, String apiKeyPrefix) {
        try {
            jdbc.update("""
                    INSERT INTO tenant_credentials (tenant_id, email, password_hash, api_key_hash, api_key_prefix)
                    VALUES (?, ?, ?, ?, ?)""", tenant.value(), email, passwordHash, apiKeyHash, apiKeyPrefix);
        } catch (DuplicateKeyException e) {
            throw new EmailAlreadyRegisteredException(email);
        }
    }

    @Override
    public Optional<CredentialOwner> findByApiKeyHash(String apiKeyHash) {
        return jdbc.query("SELECT tenant_id, email FROM tenant_credentials WHERE api_key_hash = ?",
                (rs, i) -> new CredentialOwner(new TenantId(rs.getObject(1, UUID.class)), rs.getString(2)),
                apiKeyHash).stream().findFirst();
    }

    @Override
    public boolean exists(TenantId tenant) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM tenant_credentials WHERE tenant_id = ?",
                Integer.class, tenant.value());
        return n != null && n > 0;
    }
}
