package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Optional;

/**
 * Password and API-key hashes, kept out of the event store on purpose: events are permanent and replayable,
 * secrets (even hashed) must be deletable and rotatable.
 */
public interface TenantCredentialStore {

    /** Stores a new tenant's credentials; throws {@link EmailAlreadyRegisteredException} for a taken email. */
    void create(TenantId tenant, String email, String passwordHash, String apiKeyHash, String apiKeyPrefix);

    /** The tenant that owns an API key, looked up by the key's SHA-256 hash. */
    Optional<CredentialOwner> findByApiKeyHash(String apiKeyHash);

    boolean exists(TenantId tenant);

    record CredentialOwner(TenantId tenantId, String email) {
    }
}
