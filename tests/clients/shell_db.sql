-- shell_db.sql: the database the sqlite3 shell builds for Python and Node to
-- reopen (tests/clients/test_shell.py, node/test_node.mjs).  It holds each
-- thing a file keeps: an enum, a member added after creation, a COLLATE
-- DYNENUM column with an index, and a CHECK and a generated column over the
-- enum (the table is schema.sql's; the shell runs in the repository's root).
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat',
  "Legacy Completions" = 'completions'
);
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized');
.read tests/clients/schema.sql
CREATE INDEX requests_endpoint ON requests(endpoint);
INSERT INTO requests(endpoint) VALUES
  ('OpenAI_Chat'), ('openai-chat'), ('Anthropic-Chat'), ('nvidia-optimized'),
  ('LEGACY COMPLETIONS'), ('OPENAI_CHAT');
