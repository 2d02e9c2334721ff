CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
CREATE VIRTUAL TABLE colour USING dynenum(RED, GREEN = 'green-ish');
SELECT * FROM dynenum_members;
SELECT name, value FROM dynenum_members WHERE enum = 'colour';
