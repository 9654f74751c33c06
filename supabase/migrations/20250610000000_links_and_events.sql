-- Interview links that expire and can be revoked; the numbered live events of each interview (what observers
-- watch, and the steering and notes kept for the report); and who asked each question (the interviewer, or
-- an observer through it).

alter table interviews add column if not exists candidate_token_expires_at timestamptz;
alter table interviews add column if not exists observer_token_expires_at timestamptz;
alter table interviews add column if not exists candidate_token_revoked_at timestamptz;
alter table interviews add column if not exists observer_token_revoked_at timestamptz;

alter table turns add column if not exists asked_by text not null default 'interviewer'
    check (asked_by in ('interviewer', 'observer'));

-- One row per event, numbered 1, 2, 3... per interview by the server holding the candidate's session. The
-- primary key makes a number usable once, so two servers can never both publish an event under it.
create table if not exists events (
    interview_id text not null references interviews (id) on delete cascade,
    seq integer not null check (seq >= 1),
    kind text not null,
    at timestamptz not null,
    -- The event as observers receive it (protocol/messages.py LiveEvent).
    payload jsonb not null,
    primary key (interview_id, seq)
);

create index if not exists events_kind_idx on events (interview_id, kind);

alter table events enable row level security;

do $$
declare
    r text;
begin
    foreach r in array array['anon', 'authenticated'] loop
        if exists (select 1 from pg_roles where rolname = r) then
            execute format('revoke all on table events from %I', r);
        end if;
    end loop;
end
$$;
