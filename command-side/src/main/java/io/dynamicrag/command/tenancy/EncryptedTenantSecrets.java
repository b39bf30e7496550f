package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.TenantSecrets;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Decrypts a tenant's stored OpenAI key on demand; the plain key is never cached or logged. */
@Component
class EncryptedTenantSecrets implements TenantSecrets {

    private final TenantCredentialStore credentials;
    private final SecretCipher cipher;

    EncryptedTenantSecrets(TenantCredentialStore credentials, SecretCipher cipher) {
        this.credentials = credentials;
        this.cipher = cipher;
    }

    @Override
    public Optional<String> openAiKey(TenantId tenant) {
        return credentials.openAiKeyCiphertext(tenant).map(stored -> cipher.decrypt(tenant, stored));
    }
}
