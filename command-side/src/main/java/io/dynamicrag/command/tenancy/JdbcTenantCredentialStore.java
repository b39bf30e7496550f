package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The credential table in PostgreSQL; joins the command's JDBC transaction, so it commits with the events. */
@Component
class JdbcTenantCredentialStore implements TenantCredentialStore {

    private static final String ACCOUNT_COLUMNS = "tenant_id, email, password_hash, status, role";
    private static final RowMapper<Account> ACCOUNT = (rs, i) -> new Account(
            new TenantId(rs.getObject("tenant_id", UUID.class)),
            rs.getString("email"),
            rs.getString("password_hash"),
            AccountStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)));

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
    public void changeEmail(TenantId tenant, String email) {
        try {
            jdbc.update("UPDATE tenant_credentials SET email = ?, updated_at = now() WHERE tenant_id = ?",
                    email, tenant.value());
        } catch (DuplicateKeyException e) {
            throw new EmailAlreadyRegisteredException(email);
        }
    }

    @Override
    public void replaceApiKey(TenantId tenant, String apiKeyHash, String apiKeyPrefix) {
        jdbc.update("""
                UPDATE tenant_credentials SET api_key_hash = ?, api_key_prefix = ?, updated_at = now()
                WHERE tenant_id = ?""", apiKeyHash, apiKeyPrefix, tenant.value());
    }

    @Override
    public void changeStatus(TenantId tenant, AccountStatus status) {
        jdbc.update("UPDATE tenant_credentials SET status = ?, updated_at = now() WHERE tenant_id = ?",
                status.name().toLowerCase(Locale.ROOT), tenant.value());
    }

    @Override
    public void changeRole(TenantId tenant, Role role) {
        jdbc.update("UPDATE tenant_credentials SET role = ?, updated_at = now() WHERE tenant_id = ?",
                role.name().toLowerCase(Locale.ROOT), tenant.value());
    }

    @Override
    public void changeOpenAiKey(TenantId tenant, String ciphertext) {
        jdbc.update("UPDATE tenant_credentials SET openai_key_ciphertext = ?, updated_at = now() WHERE tenant_id = ?",
                ciphertext, tenant.value());
    }

    @Override
    public Optional<Account> findByApiKeyHash(String apiKeyHash) {
        return jdbc.query("SELECT " + ACCOUNT_COLUMNS + " FROM tenant_credentials WHERE api_key_hash = ?",
                ACCOUNT, apiKeyHash).stream().findFirst();
    }

    @Override
    public Optional<Account> findByTenant(TenantId tenant) {
        return jdbc.query("SELECT " + ACCOUNT_COLUMNS + " FROM tenant_credentials WHERE tenant_id = ?",
                ACCOUNT, tenant.value()).stream().findFirst();
    }

    @Override
    public Optional<Account> findByEmail(String email) {
        return jdbc.query("SELECT " + ACCOUNT_COLUMNS + " FROM tenant_credentials WHERE email = ?",
                ACCOUNT, email).stream().findFirst();
    }

    @Override
    public Optional<String> openAiKeyCiphertext(TenantId tenant) {
        return jdbc.query("SELECT openai_key_ciphertext FROM tenant_credentials WHERE tenant_id = ?",
                (rs, i) -> rs.getString(1), tenant.value()).stream().filter(java.util.Objects::nonNull).findFirst();
    }
}
