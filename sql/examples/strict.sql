CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT, ANTHROPIC_CHAT = 'anthropic_chat', "Legacy Completions" = 'completions');
-- dynenum_strict: the value of a real member, else an error with the choices.
SELECT dynenum_strict('endpoint_type', 'OpenAI-Chat');
SELECT dynenum_strict('endpoint_type', 'opnai_chat');
SELECT dynenum_strict('endpoint_type', 'mistral');
-- In a CHECK, under trusted_schema = OFF.
PRAGMA trusted_schema = OFF;
CREATE TABLE requests(endpoint TEXT NOT NULL CHECK (dynenum_strict('endpoint_type', endpoint) IS NOT NULL));
INSERT INTO requests VALUES ('completions'), ('anthropic-chat');
INSERT INTO requests VALUES ('antropic-chat');
-- Retiring: the one UPDATE there is.  Stored rows keep their meaning.
UPDATE endpoint_type SET retired = 1 WHERE name = 'Legacy Completions';
SELECT name, retired FROM endpoint_type;
SELECT dynenum_resolve('endpoint_type', 'completions'), dynenum_is_member('endpoint_type', 'completions'),
       dynenum_strict('endpoint_type', 'completions');
SELECT count(*) FROM requests;
-- New rows: dynenum_current refuses a retired member, in a trigger.
CREATE TRIGGER requests_current BEFORE INSERT ON requests BEGIN
  SELECT dynenum_current('endpoint_type', NEW.endpoint);
END;
INSERT INTO requests VALUES ('completions');
-- Listings can hide it; un-retiring is one more UPDATE.
SELECT name FROM endpoint_type WHERE NOT retired;
UPDATE endpoint_type SET retired = 0 WHERE name = 'Legacy Completions';
INSERT INTO requests VALUES ('completions');
SELECT count(*) FROM requests;
