-- A few hundred tokens of text-embedding-3-small cost less than $0.000001: keep eight decimals.
ALTER TABLE documents ALTER COLUMN embedding_cost_usd TYPE NUMERIC(18, 8);
