-- Read model (index-generation-projection, subscribing): the index generation each tenant's search runs on and the
-- embedding model of its vectors. No row: generation 0 with the local model (where every tenant starts).
CREATE TABLE tenant_index_generations (
    customer_id     UUID PRIMARY KEY,
    generation      BIGINT      NOT NULL,
    embedding_model TEXT        NOT NULL,
    dimensions      INT         NOT NULL,
    documents       INT         NOT NULL,
    chunks          BIGINT      NOT NULL,
    activated_at    TIMESTAMPTZ NOT NULL
);

-- What the tenant sees of a model change (tenant-projection): the model its search runs on now, and why the last
-- re-embedding into the configured model failed, if it did.
ALTER TABLE customer_config
    ADD COLUMN active_embedding_model TEXT NOT NULL DEFAULT 'all-minilm-l6-v2',
    ADD COLUMN reembedding_error      TEXT;
