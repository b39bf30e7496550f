-- Read models (document-projection), after the seed's documents / document_versions tables.
CREATE TABLE documents (
    id                    UUID PRIMARY KEY,
    customer_id           UUID          NOT NULL,
    title                 VARCHAR(500)  NOT NULL,
    doc_type              VARCHAR(50)   NOT NULL,
    source_url            TEXT,
    external_id           VARCHAR(255),
    metadata              JSONB         NOT NULL DEFAULT '{}',
    s3_key                VARCHAR(500),
    content_hash          VARCHAR(64),
    file_size_bytes       BIGINT,
    page_count            INTEGER,
    chunk_count           INTEGER       NOT NULL DEFAULT 0,
    character_count       INTEGER       NOT NULL DEFAULT 0,
    embedding_tokens_used BIGINT        NOT NULL DEFAULT 0,
    embedding_cost_usd    DECIMAL(12, 6) NOT NULL DEFAULT 0,
    processing_time_ms    BIGINT,
    version               INTEGER       NOT NULL DEFAULT 1,
    status                VARCHAR(50)   NOT NULL DEFAULT 'processing',
    error_message         TEXT,
    created_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_documents_customer ON documents (customer_id);
CREATE INDEX idx_documents_hash ON documents (content_hash);
CREATE INDEX idx_documents_status ON documents (status);
CREATE INDEX idx_documents_created ON documents (customer_id, created_at DESC);

CREATE TABLE document_versions (
    id              BIGSERIAL PRIMARY KEY,
    document_id     UUID        NOT NULL,
    version         INTEGER     NOT NULL,
    content_hash    VARCHAR(64) NOT NULL,
    s3_key          VARCHAR(500),
    changes_summary TEXT,
    is_active       BOOLEAN     NOT NULL DEFAULT true,
    status          VARCHAR(50) NOT NULL DEFAULT 'processing',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (document_id, version)
);
CREATE INDEX idx_versions_active ON document_versions (document_id, is_active);
