package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real in-memory implementation of the port (not a mock): it enforces unique emails like the table does. */
final class InMemoryCredentials implements TenantCredentialStore {

    final Map<TenantId, Account> accounts = new HashMap<>();
    final Map<TenantId, String> apiKeyHashes = new HashMap<>();
    final Map<TenantId, String> openAiKeys = new HashMap<>();

    @Override
    public void create(TenantId tenant, String email, String passwordHash, String apiKeyHash, String apiKeyPrefix) {
        if (findByEmail(email).isPresent()) {
            throw new EmailAlreadyRegisteredException(email);
        }
        accounts.put(tenant, new Account(tenant, email, passwordHash, AccountStatus.ACTIVE, Role.TENANT));
        apiKeyHashes.put(tenant, apiKeyHash);
    }

    @Override
    public void changeEmail(TenantId tenant, String email) {
        if (findByEmail(email).filter(a -> !a.tenantId().equals(tenant)).isPresent()) {
            throw new EmailAlreadyRegisteredException(email);
        }
        Account a = accounts.get(tenant);
        accounts.put(tenant, new Account(tenant, email, a.passwordHash(), a.status(), a.role()));
    }

    @Override
    public void replaceApiKey(TenantId tenant, String apiKeyHash, String apiKeyPrefix) {
        apiKeyHashes.put(tenant, apiKeyHash);
    }

    @Override
    public void changeStatus(TenantId tenant, AccountStatus status) {
        Account a = accounts.get(tenant);
        accounts.put(tenant, new Account(tenant, a.email(), a.passwordHash(), status, a.role()));
    }

    @Override
    public void changeRole(TenantId tenant, Role role) {
        Account a = accounts.get(tenant);
        accounts.put(tenant, new Account(tenant, a.email(), a.passwordHash(), a.status(), role));
    }

    @Override
    public void changeOpenAiKey(TenantId tenant, String ciphertext) {
        if (ciphertext == null) {
            openAiKeys.remove(tenant);
        } else {
            openAiKeys.put(tenant, ciphertext);
        }
    }

    @Override
    public Optional<Account> findByApiKeyHash(String apiKeyHash) {
        return apiKeyHashes.entrySet().stream().filter(e -> e.getValue().equals(apiKeyHash))
                .map(e -> accounts.get(e.getKey())).findFirst();
    }

    @Override
    public Optional<Account> findByTenant(TenantId tenant) {
        return Optional.ofNullable(accounts.get(tenant));
    }

    @Override
    public Optional<Account> findByEmail(String email) {
        return accounts.values().stream().filter(a -> a.email().equals(email)).findFirst();
    }

    @Override
    public Optional<String> openAiKeyCiphertext(TenantId tenant) {
        return Optional.ofNullable(openAiKeys.get(tenant));
    }
}
