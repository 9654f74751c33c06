-- See supabase/migrations/20250602000000_pending_question.sql.
alter table interviews add column pending_question text;
