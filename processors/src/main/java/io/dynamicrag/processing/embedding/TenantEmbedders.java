package io.dynamicrag.processing.embedding;

import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.TenantSecrets;

/**
 * The embedder of a tenant for one model: the in-process model for the local one; for an OpenAI model, an
 * {@link OpenAiEmbedder} with the tenant's own key (decrypted for the call, cached only inside the factory, keyed by
 * its hash).
 */
public class TenantEmbedders {

    private final Embedder local;
    private final OpenAiEmbedderFactory openAi;
    private final TenantSecrets secrets;

    public TenantEmbedders(Embedder local, OpenAiEmbedderFactory openAi, TenantSecrets secrets) {
        this.local = local;
        this.openAi = openAi;
        this.secrets = secrets;
    }

    /**
     * @throws EmbeddingFailedException (not transient) when an OpenAI model is asked for and the tenant has no key
     * @throws IllegalArgumentException when the model is not in the catalogue
     */
    public Embedder forModel(TenantId tenant, String modelName) {
        EmbeddingModels model = EmbeddingModels.require(modelName);
        if (model.isLocal()) {
            if (!local.modelName().equals(model.modelName())) {
                throw new IllegalStateException("the local embedder runs " + local.modelName() + ", not "
                        + model.modelName());
            }
            return local;
        }
        String key = secrets.openAiKey(tenant).orElseThrow(() -> new EmbeddingFailedException(
                "no OpenAI API key is configured for this tenant; " + model.modelName() + " needs one (set "
                        + "openai_api_key in PUT /api/customers/config)", null, false));
        return openAi.embedder(key, model.modelName());
    }
}
