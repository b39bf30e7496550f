package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.ids.TenantId;
import org.springframework.stereotype.Component;

/** The tenant's limits every submission passes before anything is stored: type (415) and size (413). */
@Component
class IngestionGate {

    private final TenantDocumentLimits limits;

    IngestionGate(TenantDocumentLimits limits) {
        this.limits = limits;
    }

    /** Blocking (JDBC): call off the event loop. */
    void check(TenantId tenant, String docType, long sizeBytes) {
        TenantDocumentLimits.Limits tenantLimits = limits.of(tenant);
        if (sizeBytes <= 0) {
            throw IngestionRefusedException.empty();
        }
        String type = DocumentTypes.WEBPAGE.equals(docType) ? "html" : docType;
        if (!tenantLimits.allowedDocumentTypes().contains(type)) {
            throw IngestionRefusedException.typeNotAllowed(type, tenantLimits.allowedDocumentTypes());
        }
        if (sizeBytes > tenantLimits.maxFileSizeBytes()) {
            throw IngestionRefusedException.tooLarge(sizeBytes, tenantLimits.maxFileSizeBytes());
        }
    }

    long maxFileSizeBytes(TenantId tenant) {
        return limits.of(tenant).maxFileSizeBytes();
    }
}
