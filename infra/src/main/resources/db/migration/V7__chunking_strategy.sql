-- fixed (the seed's character windows), paragraph, or semantic (sentence-aware)
ALTER TABLE customer_config ADD COLUMN chunking_strategy VARCHAR(20) NOT NULL DEFAULT 'fixed';
