-- Audit: every event row learns its tenant, so a tenant's history is one index range scan
-- (GET /api/audit/events) and a document's history can be checked against its owner without the read model
-- (which forgets deleted documents). The tenant comes from the payload's "tenantId" (every event of this product
-- carries it); an event without one gets NULL and is visible to no tenant.
ALTER TABLE domain_event_entry ADD COLUMN tenant_id UUID;

-- Jackson always writes valid JSON; anything else (no object, no UUID) yields NULL instead of failing the insert.
-- No exception block on purpose: that would open a subtransaction for every event written.
CREATE FUNCTION event_tenant_id(payload BYTEA) RETURNS UUID
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    body   TEXT := convert_from(payload, 'UTF8');
    tenant TEXT;
BEGIN
    IF left(ltrim(body), 1) <> '{' THEN
        RETURN NULL;
    END IF;
    tenant := body::jsonb ->> 'tenantId';
    IF tenant ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN tenant::uuid;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION domain_event_entry_set_tenant() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.tenant_id := event_tenant_id(NEW.payload);
    RETURN NEW;
END $$;

CREATE TRIGGER domain_event_entry_tenant
    BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION domain_event_entry_set_tenant();

UPDATE domain_event_entry SET tenant_id = event_tenant_id(payload) WHERE tenant_id IS NULL;

CREATE INDEX domain_event_entry_tenant ON domain_event_entry (tenant_id, global_index);

-- Axon's JdbcSequencedDeadLetterQueue (names in AuditConfiguration#deadLetterSchema): events a projection failed
-- to apply wait here, in order per document, until an operator has them processed again.
CREATE TABLE dead_letter_entry (
    dead_letter_id       VARCHAR(255)  NOT NULL,
    processing_group     VARCHAR(255)  NOT NULL,
    sequence_identifier  VARCHAR(255)  NOT NULL,
    sequence_index       BIGINT        NOT NULL,
    message_type         VARCHAR(255)  NOT NULL,
    event_identifier     VARCHAR(255)  NOT NULL,
    time_stamp           VARCHAR(255)  NOT NULL,
    payload_type         VARCHAR(255)  NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA         NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255)  NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        VARCHAR(1023),
    diagnostics          BYTEA,
    PRIMARY KEY (dead_letter_id),
    UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence ON dead_letter_entry (processing_group, sequence_identifier);
