package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletes the document with every version, chunk and stored file. */
public record DeleteDocumentCommand(@TargetAggregateIdentifier DocumentId documentId, TenantId tenantId) {
}
