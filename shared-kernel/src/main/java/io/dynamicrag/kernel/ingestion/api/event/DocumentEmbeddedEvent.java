package io.dynamicrag.kernel.ingestion.api.event;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/**
 * Revision 2 added the embedding {@code tokens} and {@code costUsd} (revision 1 payloads read as 0 and 0); revision
 * 3 the document's {@code title}, which the index writer stores with every chunk; revision 4 its {@code docType}
 * and {@code sourceUrl}, which the catalog stores. The index writer takes all three from the event (null in older
 * payloads: those rows are written without them), so it never reads another module's tables.
 */
@Revision("4")
public record DocumentEmbeddedEvent(
        DocumentId documentId,
        TenantId tenantId,
        int version,
        String chunksBlobKey,
        String embeddingsBlobKey,
        String embeddingModel,
        int dimensions,
        long tokens,
        BigDecimal costUsd,
        String title,
        String docType,
        String sourceUrl) {

    public DocumentEmbeddedEvent {
        if (costUsd == null) {
            costUsd = BigDecimal.ZERO;
        }
    }
}
