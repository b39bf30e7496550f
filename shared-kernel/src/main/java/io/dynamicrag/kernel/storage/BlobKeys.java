package io.dynamicrag.kernel.storage;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;

/** The one place that knows how blob keys are laid out, so no component builds a key from user input. */
public final class BlobKeys {

    private BlobKeys() {
    }

    public static String documentPrefix(TenantId tenant, DocumentId document) {
        return "tenants/" + tenant + "/documents/" + document + "/";
    }

    /** Raw uploads are content-addressed: the same bytes are stored once per document. */
    public static String raw(TenantId tenant, DocumentId document, String sha256Hex, String extension) {
        if (!sha256Hex.matches("[0-9a-f]{64}") || !extension.matches("[a-z0-9]{1,8}")) {
            throw new IllegalArgumentException("invalid raw blob key parts");
        }
        return documentPrefix(tenant, document) + "raw/" + sha256Hex + "." + extension;
    }

    public static String artefact(TenantId tenant, DocumentId document, int version, String name) {
        if (!name.matches("[a-z0-9._-]{1,40}")) {
            throw new IllegalArgumentException("invalid artefact name");
        }
        return documentPrefix(tenant, document) + "v" + version + "/" + name;
    }
}
