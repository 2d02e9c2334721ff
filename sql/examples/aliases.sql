-- OPENAI = OPENAI_CHAT (a name on the right) declares a second name of the
-- member; a string on the right is always a value.
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  OPENAI = OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat',
  "Legacy Completions" = 'completions',
  COMPLETIONS_V1 = "Legacy Completions"
);
SELECT dynenum_resolve('endpoint_type', 'openai'), dynenum_ordinal('endpoint_type', 'Completions-V1');
-- The enum lists each member once; the catalog lists every name.
SELECT ordinal, name FROM endpoint_type;
SELECT ordinal, name, alias_of FROM dynenum_members WHERE enum = 'endpoint_type';
-- A colliding value is an error, as @unique would make it.
CREATE VIRTUAL TABLE bad USING dynenum(OPENAI_CHAT, OPENAI = 'openai_chat');
-- Added later, an alias must not change any result: only another spelling.
INSERT INTO endpoint_type(name, alias_of) VALUES ('OpenAI-Chat', 'OPENAI_CHAT');
INSERT INTO endpoint_type(name, alias_of) VALUES ('CHATGPT', 'OPENAI_CHAT');
