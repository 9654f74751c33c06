-- What the interview has used so far: model requests and tokens, seconds of audio transcribed and synthesized,
-- characters spoken, fallbacks ({"prompt_tokens": 1234, ...}). Each session adds its counts when it closes, so
-- the report's cost covers every connection of the interview.
alter table interviews add column if not exists usage jsonb;
