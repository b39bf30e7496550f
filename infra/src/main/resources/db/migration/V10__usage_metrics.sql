-- Read model (usage-projection): one row per UsageRecordedEvent, after the seed's usage_metrics table.
-- usage_id makes a replayed event a no-op. No foreign keys between read models; document_id stays set after the
-- document is deleted (its usage was still spent).
CREATE TABLE usage_metrics (
    id           BIGSERIAL PRIMARY KEY,
    usage_id     UUID          NOT NULL UNIQUE,
    customer_id  UUID          NOT NULL,
    document_id  UUID,
    metric_type  VARCHAR(50)   NOT NULL,
    metric_value BIGINT        NOT NULL,
    cost_usd     NUMERIC(18, 8) NOT NULL DEFAULT 0,
    metadata     JSONB         NOT NULL DEFAULT '{}',
    timestamp    TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_metrics_customer_time ON usage_metrics (customer_id, timestamp DESC);
CREATE INDEX idx_metrics_customer_type_time ON usage_metrics (customer_id, metric_type, timestamp);
CREATE INDEX idx_metrics_type ON usage_metrics (metric_type);
CREATE INDEX idx_metrics_document ON usage_metrics (document_id);
