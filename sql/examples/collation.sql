-- COLLATE DYNENUM: two strings are equal when their keys are equal.
SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM;
SELECT char(0x212A) = 'k' COLLATE DYNENUM;       -- KELVIN SIGN folds to k
SELECT 'Straße' = 'STRASSE' COLLATE DYNENUM;     -- simple folding: ß is not ss
SELECT dynenum_key('Open-AI ΣΊΣΥΦΟΣ');

CREATE TABLE runs(endpoint TEXT COLLATE DYNENUM);
INSERT INTO runs VALUES ('OpenAI_Chat'), ('openai-chat'), ('ANTHROPIC_CHAT');
SELECT endpoint, count(*) FROM runs GROUP BY endpoint ORDER BY endpoint;
SELECT DISTINCT endpoint FROM runs ORDER BY 1;
CREATE UNIQUE INDEX runs_endpoint ON runs(endpoint);
