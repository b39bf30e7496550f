package io.dynamicrag.kernel.tenancy.api.event;

import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The tenant's search now runs on index generation {@code generation}, whose vectors all come from
 * {@code embeddingModel}; {@code documents} active documents with {@code chunks} chunks were re-embedded into it.
 */
@Revision("1")
public record IndexGenerationActivatedEvent(TenantId tenantId, long generation, String embeddingModel, int dimensions,
                                            int documents, long chunks, Instant activatedAt) {
}
