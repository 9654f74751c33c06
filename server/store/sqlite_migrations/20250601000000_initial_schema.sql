-- Viva's schema on SQLite: the same tables and columns as supabase/migrations/20250601000000_initial_schema.sql
-- (JSON as text, timestamps as ISO 8601 text with offset, booleans as 0/1). A test keeps the two in step.

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
    setup text not null,
    status text not null default 'created'
        check (status in ('created', 'in_progress', 'completed', 'ended')),
    candidate_token_hash text not null,
    observer_token_hash text,
    interviewer_state text,
    created_at text not null,
    started_at text,
    ended_at text,
    end_reason text,
    final_score real,
    report text,
    evaluated_at text
);

create index if not exists interviews_created_at_idx on interviews (created_at desc, id desc);
create index if not exists interviews_status_idx on interviews (status);

create table if not exists turns (
    interview_id text not null references interviews (id) on delete cascade,
    turn_index integer not null check (turn_index >= 0),
    kind text not null,
    question_number integer not null check (question_number >= 0),
    question text not null,
    answer text not null,
    answered_by text not null check (answered_by in ('voice', 'text')),
    asked_at text not null,
    answer_started_at text,
    answered_at text not null,
    answer_duration_ms integer not null check (answer_duration_ms >= 0),
    response_gap_ms integer,
    interrupted integer not null default 0,
    primary key (interview_id, turn_index)
);

create table if not exists questions (
    interview_id text not null references interviews (id) on delete cascade,
    question_number integer not null check (question_number >= 1),
    question_text text not null,
    answer text not null,
    score real,
    feedback text not null default '',
    rubric_version text not null,
    evidence text not null default '{}',
    evaluated_at text not null,
    primary key (interview_id, question_number)
);
