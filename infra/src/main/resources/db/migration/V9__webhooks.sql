-- Command side, written by the Webhook aggregate's command handlers in the command's transaction (like
-- tenant_credentials): what the inbound URL and the completion callbacks need at run time. The URL's token is kept
-- only as its SHA-256 (the URL is the credential); the callback signing secret only as AES-256-GCM ciphertext
-- (SecretCipher, bound to the tenant). A rotation replaces token_hash; a deletion removes the row.
CREATE TABLE webhook_endpoints (
    webhook_id                UUID PRIMARY KEY,
    tenant_id                 UUID        NOT NULL,
    token_hash                CHAR(64)    NOT NULL UNIQUE,
    signing_secret_ciphertext TEXT        NOT NULL,
    config                    JSONB       NOT NULL DEFAULT '{}',
    active                    BOOLEAN     NOT NULL DEFAULT true,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id);

-- Read model (webhook-projection, subscribing). The seed's table, with two deliberate differences: webhook_url holds
-- the masked path (/api/webhooks/in/whk_abcd…), since the token is in no event, and is therefore not UNIQUE (the
-- token's uniqueness is webhook_endpoints.token_hash); customer_id has no foreign key, like every read model here.
CREATE TABLE webhooks (
    id                UUID PRIMARY KEY,
    customer_id       UUID         NOT NULL,
    name              VARCHAR(255) NOT NULL,
    webhook_url       VARCHAR(500) NOT NULL,
    trigger_type      VARCHAR(50)  NOT NULL,
    config            JSONB        NOT NULL DEFAULT '{}',
    is_active         BOOLEAN      NOT NULL DEFAULT true,
    last_triggered_at TIMESTAMPTZ,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_webhooks_customer ON webhooks (customer_id, created_at);

-- Processors (completion-callbacks): which webhook delivered which document version, from the submission event.
CREATE TABLE webhook_document_versions (
    document_id UUID        NOT NULL,
    version     INTEGER     NOT NULL,
    webhook_id  UUID        NOT NULL,
    tenant_id   UUID        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, version)
);

-- Processors: the final outcome of each callback delivery (delivered, failed, refused, skipped).
CREATE TABLE webhook_callback_deliveries (
    id               UUID PRIMARY KEY,
    delivery_id      UUID        NOT NULL,
    webhook_id       UUID        NOT NULL,
    tenant_id        UUID        NOT NULL,
    document_id      UUID        NOT NULL,
    version          INTEGER     NOT NULL,
    document_status  VARCHAR(20) NOT NULL,
    outcome          VARCHAR(20) NOT NULL,
    attempts         INTEGER     NOT NULL,
    last_http_status INTEGER,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_callback_deliveries_webhook ON webhook_callback_deliveries (webhook_id, created_at DESC);
