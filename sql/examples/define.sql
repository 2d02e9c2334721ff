-- An enum is a virtual table; its members are its rows.
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat',
  "Legacy Completions" = 'completions'
);
SELECT ordinal, name, value FROM endpoint_type;
SELECT name FROM endpoint_type WHERE name = 'openai-chat';

-- Definitions are checked as a whole.
CREATE VIRTUAL TABLE colour USING dynenum(RED, _SECRET);
CREATE VIRTUAL TABLE colour USING dynenum(RED, Red);
CREATE VIRTUAL TABLE colour USING dynenum(RED = 'red', CRIMSON = 'RED');
CREATE VIRTUAL TABLE colour USING dynenum(DARK RED);
