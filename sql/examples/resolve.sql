CREATE VIRTUAL TABLE endpoint_type USING dynenum(
  OPENAI_CHAT,
  ANTHROPIC_CHAT = 'anthropic_chat',
  "Legacy Completions" = 'completions'
);
-- By name or by value, in any spelling: the declared value.
SELECT dynenum_resolve('endpoint_type', 'OpenAI-Chat');
SELECT dynenum_resolve('endpoint_type', 'LEGACY COMPLETIONS');
SELECT dynenum_resolve('endpoint_type', 'Completions');
-- A valid name the enum does not declare: a dynamic member, its key.
SELECT dynenum_resolve('endpoint_type', 'NVIDIA-Optimized');
SELECT dynenum_is_member('endpoint_type', 'NVIDIA-Optimized'),
       dynenum_ordinal('endpoint_type', 'anthropic-chat'),
       dynenum_ordinal('endpoint_type', 'NVIDIA-Optimized') IS NULL;
SELECT dynenum_resolve('endpoint_type', NULL) IS NULL;
-- Everything else is an error that says what and where.
SELECT dynenum_resolve('endpoint_type', '_private');
SELECT dynenum_resolve('endpoint_type', 'two words');
SELECT dynenum_resolve('endpoint_type', '');
SELECT dynenum_resolve('endpoint_type', CAST(x'4142ff' AS TEXT));
SELECT dynenum_resolve('endpoint_type', 42);
SELECT dynenum_resolve('endpoint', 'OPENAI_CHAT');
