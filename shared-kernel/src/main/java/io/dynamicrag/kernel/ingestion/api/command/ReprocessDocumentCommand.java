package io.dynamicrag.kernel.ingestion.api.command;

import io.dynamicrag.kernel.ids.DocumentId;
import io.dynamicrag.kernel.ids.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Runs the pipeline again for the latest version (e.g. after a chunking change or a failure). */
public record ReprocessDocumentCommand(@TargetAggregateIdentifier DocumentId documentId, TenantId tenantId) {
}
