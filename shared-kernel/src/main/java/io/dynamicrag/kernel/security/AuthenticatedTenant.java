package io.dynamicrag.kernel.security;

import io.dynamicrag.kernel.ids.TenantId;

/**
 * Who is calling: resolved from a JWT or an API key by the security layer, then passed to every handler.
 * {@code sessionId} and {@code tokenId} identify the login session and access token (JWT only, else null).
 */
public record AuthenticatedTenant(TenantId tenantId, String email, CredentialKind credential, boolean admin,
                                  String sessionId, String tokenId) {

    public enum CredentialKind { JWT, API_KEY }

    public static AuthenticatedTenant byApiKey(TenantId tenantId, String email, boolean admin) {
        return new AuthenticatedTenant(tenantId, email, CredentialKind.API_KEY, admin, null, null);
    }

    public static AuthenticatedTenant byJwt(TenantId tenantId, String email, boolean admin, String sessionId,
                                            String tokenId) {
        return new AuthenticatedTenant(tenantId, email, CredentialKind.JWT, admin, sessionId, tokenId);
    }
}
