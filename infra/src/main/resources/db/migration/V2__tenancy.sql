-- Written by the Tenant command handler in the command's transaction (not a projection): the only place that
-- holds credential hashes. Never exposed through any read API.
CREATE TABLE tenant_credentials (
    tenant_id      UUID PRIMARY KEY,
    email          VARCHAR(255) NOT NULL UNIQUE,
    password_hash  VARCHAR(255) NOT NULL,
    api_key_hash   CHAR(64)     NOT NULL UNIQUE,
    api_key_prefix VARCHAR(16)  NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Read models (tenant-projection). No foreign keys between read models: each projection catches up on its own.
CREATE TABLE customers (
    id           UUID PRIMARY KEY,
    email        VARCHAR(255) NOT NULL,
    company_name VARCHAR(255),
    status       VARCHAR(20)  NOT NULL DEFAULT 'active',
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_customers_email ON customers (email);

CREATE TABLE customer_config (
    customer_id                    UUID PRIMARY KEY,
    rate_limit_requests_per_minute INTEGER      NOT NULL DEFAULT 60,
    rate_limit_requests_per_day    INTEGER      NOT NULL DEFAULT 10000,
    max_documents                  INTEGER      NOT NULL DEFAULT 10000,
    max_file_size_mb               INTEGER      NOT NULL DEFAULT 50,
    allowed_document_types         TEXT[]       NOT NULL DEFAULT ARRAY ['pdf', 'txt', 'html', 'md'],
    chunking_size                  INTEGER      NOT NULL DEFAULT 1000,
    chunking_overlap               INTEGER      NOT NULL DEFAULT 200,
    embedding_model                VARCHAR(100) NOT NULL DEFAULT 'all-minilm-l6-v2',
    created_at                     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at                     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
