-- Viva's schema on PostgreSQL (Supabase): interviews, their turns, and per-question evaluations.
--
-- The server applies this file itself at start (recording it in schema_migrations); `supabase db push`
-- applies it too. Every statement is idempotent so either order works.
--
-- Row-level security is enabled on every table with no policy, and the anon and authenticated roles lose
-- every privilege: the browser never reads the database. Only the Viva server, connecting as the owner
-- (postgres) through the connection string, does.

create table if not exists interviews (
    id text primary key,
    candidate_name text not null,
    job_title text not null,
    job_description text not null default '',
    resume_text text not null default '',
    interview_type text not null
        check (interview_type in ('behavioral', 'technical', 'mixed', 'system_design')),
    num_questions integer not null check (num_questions between 1 and 30),
    language text not null default 'en',
    -- The whole InterviewSetup (InterviewSetup.to_dict); the columns above repeat its fields for queries.
    setup jsonb not null,
    status text not null default 'created'
        check (status in ('created', 'in_progress', 'completed', 'ended')),
    -- sha256 hex digests; the tokens themselves are only ever in the links handed out at creation.
    candidate_token_hash text not null,
    observer_token_hash text,
    interviewer_state jsonb,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    ended_at timestamptz,
    end_reason text,
    final_score double precision,
    report jsonb,
    evaluated_at timestamptz
);

create index if not exists interviews_created_at_idx on interviews (created_at desc, id desc);
create index if not exists interviews_status_idx on interviews (status);

-- One finished exchange each: the question as heard, the answer as saved, and their timings.
create table if not exists turns (
    interview_id text not null references interviews (id) on delete cascade,
    turn_index integer not null check (turn_index >= 0),
    kind text not null,
    question_number integer not null check (question_number >= 0),
    question text not null,
    answer text not null,
    answered_by text not null check (answered_by in ('voice', 'text')),
    asked_at timestamptz not null,
    answer_started_at timestamptz,
    answered_at timestamptz not null,
    answer_duration_ms integer not null check (answer_duration_ms >= 0),
    response_gap_ms integer,
    interrupted boolean not null default false,
    primary key (interview_id, turn_index)
);

-- The evaluation of each planned question: score, feedback, and the rubric and evidence behind them.
create table if not exists questions (
    interview_id text not null references interviews (id) on delete cascade,
    question_number integer not null check (question_number >= 1),
    question_text text not null,
    answer text not null,
    score double precision,
    feedback text not null default '',
    rubric_version text not null,
    evidence jsonb not null default '{}'::jsonb,
    evaluated_at timestamptz not null,
    primary key (interview_id, question_number)
);

alter table interviews enable row level security;
alter table turns enable row level security;
alter table questions enable row level security;

do $$
declare
    r text;
begin
    foreach r in array array['anon', 'authenticated'] loop
        if exists (select 1 from pg_roles where rolname = r) then
            execute format('revoke all on table interviews, turns, questions from %I', r);
        end if;
    end loop;
end
$$;
