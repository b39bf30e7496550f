package io.dynamicrag.kernel.tenancy;

import io.dynamicrag.kernel.ids.TenantId;

import java.util.Optional;

/**
 * A tenant's own secrets, decrypted for the moment they are needed (the embedding workers calling OpenAI with the
 * tenant's key). Implemented by the command side, which holds the encrypted values; nothing else ever stores them.
 */
public interface TenantSecrets {

    /** The tenant's OpenAI API key in plain text, or empty when it has configured none. */
    Optional<String> openAiKey(TenantId tenant);
}
