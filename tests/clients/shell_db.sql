-- shell_db.sql: the database the sqlite3 shell builds for Python and Node to
-- reopen (tests/clients/test_shell.py, node/test_node.mjs).  It holds each
-- thing a file keeps: an enum, a member added after creation, a COLLATE
-- DYNENUM column with an index, and a CHECK and a generated column over the
-- enum.
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat',
  "Legacy Completions" = 'completions'
);
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized');
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  endpoint TEXT NOT NULL COLLATE DYNENUM
    CHECK (dynenum_is_member('endpoint_type', endpoint)),
  canonical TEXT AS (dynenum_resolve('endpoint_type', endpoint))
);
CREATE INDEX requests_endpoint ON requests(endpoint);
CREATE INDEX requests_canonical ON requests(canonical);
INSERT INTO requests(endpoint) VALUES
  ('OpenAI_Chat'), ('openai-chat'), ('Anthropic-Chat'), ('nvidia-optimized'),
  ('LEGACY COMPLETIONS'), ('OPENAI_CHAT');
