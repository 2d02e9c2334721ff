CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT);
-- A plugin registers its endpoint: the next ordinal, the value is the key.
SELECT dynenum_resolve('endpoint_type', 'NVIDIA_Optimized');
INSERT INTO endpoint_type(name) VALUES ('NVIDIA_Optimized');
SELECT ordinal, name, value FROM endpoint_type;
SELECT dynenum_resolve('endpoint_type', 'NVIDIA_Optimized'),
       dynenum_is_member('endpoint_type', 'nvidia-optimized');
-- Registering twice is harmless with OR IGNORE, an error without.
INSERT OR IGNORE INTO endpoint_type(name) VALUES ('nvidia-optimized');
INSERT INTO endpoint_type(name) VALUES ('nvidia-optimized');
-- A member's value is always its key; members never change or go away.
INSERT INTO endpoint_type(name, value) VALUES ('TRITON', 'tritonserver');
UPDATE endpoint_type SET value = 'chat' WHERE name = 'OPENAI_CHAT';
DELETE FROM endpoint_type;
-- A rolled-back registration leaves no trace.
BEGIN;
INSERT INTO endpoint_type(name) VALUES ('TRITON');
ROLLBACK;
SELECT dynenum_is_member('endpoint_type', 'TRITON');
-- A name with an invisible character would pass for a member: refused.
INSERT INTO endpoint_type(name) VALUES ('OPENAI_CHAT' || char(0x200B));
