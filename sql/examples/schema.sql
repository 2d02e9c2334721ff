-- Enums in a schema: a CHECK that accepts only real members, a generated
-- column holding the canonical value, and an index on it.  All of it works
-- in a database whose schema is not trusted.
PRAGMA trusted_schema = OFF;
CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL COLLATE DYNENUM
    CHECK (dynenum_is_member('endpoint_type', endpoint)),
  canonical TEXT AS (dynenum_resolve('endpoint_type', endpoint))
);
CREATE INDEX requests_canonical ON requests(canonical);
INSERT INTO requests(endpoint) VALUES ('OpenAI-Chat'), ('anthropic_chat');
INSERT INTO requests(endpoint) VALUES ('NVIDIA_OPTIMIZED');
SELECT id, endpoint, canonical FROM requests ORDER BY id;
-- Order by declaration, like PostgreSQL and MySQL enums.
SELECT endpoint FROM requests ORDER BY dynenum_ordinal('endpoint_type', endpoint) DESC;
