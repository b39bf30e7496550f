-- Command side, written with document_registry in the command's transaction: how many documents each tenant has.
-- max_documents was checked with a count(*) of the tenant's registry rows on every new document, under a lock on
-- the tenant: a cost that grew with the tenant. One row per tenant, updated in place, costs the same at any size.
CREATE TABLE tenant_document_counts (
    tenant_id UUID PRIMARY KEY,
    documents INTEGER NOT NULL CHECK (documents >= 0)
);
INSERT INTO tenant_document_counts (tenant_id, documents)
SELECT tenant_id, count(*) FROM document_registry GROUP BY tenant_id;
