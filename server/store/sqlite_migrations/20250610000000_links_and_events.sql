-- See supabase/migrations/20250610000000_links_and_events.sql.
alter table interviews add column candidate_token_expires_at text;
alter table interviews add column observer_token_expires_at text;
alter table interviews add column candidate_token_revoked_at text;
alter table interviews add column observer_token_revoked_at text;

alter table turns add column asked_by text not null default 'interviewer'
    check (asked_by in ('interviewer', 'observer'));

create table if not exists events (
    interview_id text not null references interviews (id) on delete cascade,
    seq integer not null check (seq >= 1),
    kind text not null,
    at text not null,
    payload text not null,
    primary key (interview_id, seq)
);

create index if not exists events_kind_idx on events (interview_id, kind);
