-- See supabase/migrations/20250620000000_usage.sql.
alter table interviews add column usage text;
