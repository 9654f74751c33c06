-- The question the candidate is being asked right now, as it was worded, when a text (REST) session knows it:
-- {"turn_index", "kind", "question_number", "text", "asked_at"}. It is written in the same transaction as the
-- turn before it, so asking again returns the very same words, and the next turn records when it was asked.
alter table interviews add column if not exists pending_question jsonb;
