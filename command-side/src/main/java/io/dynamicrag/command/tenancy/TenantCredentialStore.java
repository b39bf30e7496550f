package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Optional;

/**
 * Password and API-key hashes and the account state checked on every request (suspension, role), kept out of the
 * event store on purpose: events are permanent and replayable, secrets (even hashed) must be deletable and
 * rotatable. Implementations join the command's transaction, so a change commits with its event or not at all.
 */
public interface TenantCredentialStore {

    /** Stores a new tenant's credentials; throws {@link EmailAlreadyRegisteredException} for a taken email. */
    void create(TenantId tenant, String email, String passwordHash, String apiKeyHash, String apiKeyPrefix);

    /** Throws {@link EmailAlreadyRegisteredException} when another account has the email. */
    void changeEmail(TenantId tenant, String email);

    void replaceApiKey(TenantId tenant, String apiKeyHash, String apiKeyPrefix);

    void changeStatus(TenantId tenant, AccountStatus status);

    void changeRole(TenantId tenant, Role role);

    void changeOpenAiKey(TenantId tenant, String ciphertext);

    Optional<Account> findByApiKeyHash(String apiKeyHash);

    Optional<Account> findByTenant(TenantId tenant);

    Optional<Account> findByEmail(String email);

    Optional<String> openAiKeyCiphertext(TenantId tenant);

    enum AccountStatus { ACTIVE, SUSPENDED }

    enum Role { TENANT, ADMIN }

    /** What authentication needs to know about an account; the password hash only for login. */
    record Account(TenantId tenantId, String email, String passwordHash, AccountStatus status, Role role) {

        public boolean suspended() {
            return status == AccountStatus.SUSPENDED;
        }
    }
}
