-- demo.sql: the story of dynenum in five minutes.  Run it with `make demo`.
.headers on
.mode box
.nullvalue NULL

.print '1. One rule for comparing names: case-insensitive (all of Unicode), and - equals _'
SELECT 'OpenAI_Chat' = 'openai-chat' COLLATE DYNENUM AS same_name,
       'ÉCOLE' = 'école' COLLATE DYNENUM AS same_french,
       'ΣΊΣΥΦΟΣ' = 'σίσυφος' COLLATE DYNENUM AS same_greek;

.print ''
.print '2. An enum, defined in the database itself'
CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat'
);
SELECT ordinal, name, value FROM endpoint_type;

.print ''
.print '3. Rows written by different programs, in different spellings...'
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  endpoint TEXT COLLATE DYNENUM NOT NULL
);
INSERT INTO requests(endpoint) VALUES
  ('OpenAI_Chat'), ('openai-chat'), ('OPENAI_CHAT'), ('anthropic_chat'), ('Anthropic-Chat');
SELECT id, endpoint FROM requests;

.print ''
.print '...group, compare and resolve as one'
SELECT dynenum_resolve('endpoint_type', endpoint) AS endpoint, count(*) AS requests
  FROM requests GROUP BY endpoint ORDER BY dynenum_ordinal('endpoint_type', endpoint);
SELECT count(*) AS openai_requests FROM requests WHERE endpoint = 'OPENAI-CHAT';

.print ''
.print '4. A plugin uses a name the enum never declared: it resolves as a dynamic member'
SELECT dynenum_resolve('endpoint_type', 'NVIDIA-Optimized') AS resolved,
       dynenum_is_member('endpoint_type', 'NVIDIA-Optimized') AS is_member,
       dynenum_ordinal('endpoint_type', 'NVIDIA-Optimized') AS ordinal;

.print ''
.print '5. The plugin registers it: same value as before, now a real member'
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_OPTIMIZED');
SELECT dynenum_resolve('endpoint_type', 'NVIDIA-Optimized') AS resolved,
       dynenum_is_member('endpoint_type', 'NVIDIA-Optimized') AS is_member,
       dynenum_ordinal('endpoint_type', 'NVIDIA-Optimized') AS ordinal;

.print ''
.print '6. Names starting with _ are reserved, and refused:'
SELECT dynenum_resolve('endpoint_type', '_private');

.print ''
.print '7. Every real member of every enum (dynamic members are never listed)'
SELECT * FROM dynenum_members;
