-- Command side, written in the command's transaction: which documents a tenant has (for max_documents) and the
-- identity that makes a re-submission a new version: 'external:<id>' or 'url:<normalised url>'.
CREATE TABLE document_registry (
    document_id  UUID PRIMARY KEY,
    tenant_id    UUID         NOT NULL,
    identity_key VARCHAR(2100),
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX document_registry_identity ON document_registry (tenant_id, identity_key)
    WHERE identity_key IS NOT NULL;
CREATE INDEX document_registry_tenant ON document_registry (tenant_id);

-- Read model: the version search serves (the latest completed one); documents.version is the latest submitted.
ALTER TABLE documents ADD COLUMN active_version INTEGER;
ALTER TABLE document_versions ADD COLUMN file_size_bytes BIGINT;
ALTER TABLE document_versions ADD COLUMN error_message TEXT;

-- Presigned uploads waiting for their completion call.
CREATE TABLE pending_uploads (
    id           UUID PRIMARY KEY,
    tenant_id    UUID          NOT NULL,
    blob_key     VARCHAR(500)  NOT NULL,
    filename     VARCHAR(255),
    content_type VARCHAR(255),
    title        VARCHAR(500),
    external_id  VARCHAR(255),
    source_url   TEXT,
    metadata     JSONB         NOT NULL DEFAULT '{}',
    expires_at   TIMESTAMPTZ   NOT NULL,
    document_id  UUID,
    created_at   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX pending_uploads_tenant ON pending_uploads (tenant_id);

-- Documents stored before this migration: they count towards the limit and stay searchable.
INSERT INTO document_registry (document_id, tenant_id, identity_key, created_at)
SELECT id, customer_id, NULL, created_at FROM documents;
UPDATE documents SET active_version = version WHERE status = 'completed';
UPDATE document_versions v SET file_size_bytes = d.file_size_bytes FROM documents d WHERE d.id = v.document_id;

-- When the current processing run started (submission or reprocessing), for processing_time_ms.
ALTER TABLE documents ADD COLUMN processing_started_at TIMESTAMPTZ;
