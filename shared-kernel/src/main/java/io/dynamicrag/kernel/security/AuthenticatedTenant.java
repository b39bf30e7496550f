package io.dynamicrag.kernel.security;

import io.dynamicrag.kernel.ids.TenantId;

/** Who is calling: resolved from a JWT or an API key by the security layer, then passed to every handler. */
public record AuthenticatedTenant(TenantId tenantId, String email, CredentialKind credential) {

    public enum CredentialKind { JWT, API_KEY }
}
