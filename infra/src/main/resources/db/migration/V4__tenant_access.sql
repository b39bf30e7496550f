-- Account state needed on every request, written in the command's transaction so it takes effect at once:
-- suspension, role, and the tenant's own OpenAI key (AES-256-GCM ciphertext; the master key is not in the database).
ALTER TABLE tenant_credentials
    ADD COLUMN status                VARCHAR(20) NOT NULL DEFAULT 'active',
    ADD COLUMN role                  VARCHAR(20) NOT NULL DEFAULT 'tenant',
    ADD COLUMN openai_key_ciphertext TEXT;

-- Read model additions (tenant-projection).
ALTER TABLE customers
    ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'tenant',
    ADD COLUMN suspended_reason TEXT;

ALTER TABLE customer_config
    ADD COLUMN openai_api_key_masked VARCHAR(32);
