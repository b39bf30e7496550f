package io.dynamicrag.app.security;

import io.dynamicrag.kernel.security.AuthenticatedTenant;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An unverified credential on its way in, or the verified tenant on its way out. */
final class CredentialToken extends AbstractAuthenticationToken {

    private final AuthenticatedTenant.CredentialKind kind;
    private final transient String credential;
    private final transient AuthenticatedTenant tenant;

    private CredentialToken(AuthenticatedTenant.CredentialKind kind, String credential, AuthenticatedTenant tenant) {
        super(tenant == null ? AuthorityUtils.NO_AUTHORITIES
                : tenant.admin() ? AuthorityUtils.createAuthorityList("ROLE_TENANT", "ROLE_ADMIN")
                : AuthorityUtils.createAuthorityList("ROLE_TENANT"));
        this.kind = kind;
        this.credential = credential;
        this.tenant = tenant;
        setAuthenticated(tenant != null);
    }

    static CredentialToken apiKey(String key) {
        return new CredentialToken(AuthenticatedTenant.CredentialKind.API_KEY, key, null);
    }

    static CredentialToken jwt(String token) {
        return new CredentialToken(AuthenticatedTenant.CredentialKind.JWT, token, null);
    }

    static CredentialToken verified(AuthenticatedTenant tenant) {
        return new CredentialToken(tenant.credential(), null, tenant);
    }

    AuthenticatedTenant.CredentialKind kind() {
        return kind;
    }

    @Override
    public String getCredentials() {
        return credential;
    }

    @Override
    public AuthenticatedTenant getPrincipal() {
        return tenant;
    }

    @Override
    public String getName() {
        return tenant == null ? "anonymous" : tenant.tenantId().toString();
    }
}
