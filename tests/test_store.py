"""The store on both databases: SQLite (embedded) and the real PostgreSQL server."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.config import Settings
from server.conversation.setup import InterviewSetup, InterviewType
from server.store import create_store
from server.store.base import (
    InterviewClosed,
    InterviewNotFound,
    InterviewRecord,
    PendingQuestion,
    QuestionEvaluation,
    Store,
    StoredTurn,
    TurnConflict,
)
from server.store.migrations import POSTGRES_DIR, SQLITE_DIR, load_migrations
from server.store.postgres import PostgresDriver
from server.store.sql import SqlStore
from server.store.sqlite import SqliteDriver, split_statements
from server.store.tokens import hash_token
from tests.postgres import POSTGRES_URL, connect, temporary_schema

StoreFactory = Callable[[], Store]

SETUP = InterviewSetup(
    candidate_name="Ada Lovelace",
    job_title="Backend Engineer",
    job_description="Build APIs in Python.",
    resume_text="Ten years of analytical engines.",
    interview_type=InterviewType.TECHNICAL,
    num_questions=3,
)


@pytest.fixture(params=["sqlite", "postgres"])
async def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreFactory]:
    """A factory of unopened stores on one database, so a test can reopen it like a restarted server."""
    opened: list[Store] = []

    def factory_for(settings: Settings) -> StoreFactory:
        def factory() -> Store:
            opened.append(create_store(settings))
            return opened[-1]

        return factory

    if request.param == "sqlite":
        yield factory_for(Settings(data_dir=tmp_path / "nested" / "data"))
    else:
        await (await connect()).close()
        async with temporary_schema() as schema:
            yield factory_for(Settings(database_url=POSTGRES_URL, database_schema=schema))
            for store in opened:
                await store.close()
    for store in opened:
        await store.close()


@pytest.fixture
async def store(make_store: StoreFactory) -> Store:
    store = make_store()
    await store.open()
    return store


def turn(index: int, question_number: int = 1, answer: str = "An answer.") -> StoredTurn:
    asked = datetime(2025, 6, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=index)
    return StoredTurn(
        index=index,
        kind="question",
        question_number=question_number,
        question=f"Question {question_number}?",
        answer=answer,
        answered_by="voice",
        asked_at=asked,
        answer_started_at=asked + timedelta(seconds=2),
        answered_at=asked + timedelta(seconds=30),
        answer_duration_ms=28_000,
        response_gap_ms=2000,
        interrupted=index % 2 == 1,
    )


async def test_interview_round_trip(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"), hash_token("obs"))
    record = await store.get_interview(interview_id)
    assert record is not None
    assert record.setup == SETUP
    assert record.status == "created"
    assert record.created_at.tzinfo is not None
    assert record.turns == [] and record.interviewer_state is None
    assert await store.get_interview("no-such-id") is None


async def test_tokens_are_checked_against_their_hashes(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"), hash_token("obs"))
    assert await store.check_candidate_token(interview_id, hash_token("cand"))
    assert not await store.check_candidate_token(interview_id, hash_token("obs"))
    assert await store.check_observer_token(interview_id, hash_token("obs"))
    assert not await store.check_observer_token(interview_id, hash_token("cand"))
    assert not await store.check_candidate_token("no-such-id", hash_token("cand"))
    no_observer = await store.create_interview(SETUP, hash_token("cand"))
    assert not await store.check_observer_token(no_observer, hash_token(""))


async def test_turns_and_state_survive_reopening(make_store: StoreFactory) -> None:
    store = make_store()
    await store.open()
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    await store.mark_started(interview_id, {"step": 0})
    await store.append_turn(interview_id, turn(0), {"step": 1})
    await store.append_turn(interview_id, turn(1, answer="Second, with ünïcode."), {"step": 2})
    await store.close()

    reopened = make_store()
    await reopened.open()
    record = await reopened.get_interview(interview_id)
    assert record is not None
    assert record.status == "in_progress"
    assert record.started_at is not None
    assert record.interviewer_state == {"step": 2}
    assert record.turns == [turn(0), turn(1, answer="Second, with ünïcode.")]


async def test_a_turn_is_recorded_once(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    await store.mark_started(interview_id, {"step": 0})
    await store.append_turn(interview_id, turn(0), {"step": 1})
    with pytest.raises(TurnConflict):
        await store.append_turn(interview_id, turn(0, answer="A rival answer."), {"step": 99})
    record = await store.get_interview(interview_id)
    assert record is not None
    assert record.interviewer_state == {"step": 1}, "the refused turn's state must not be kept"
    assert [t.answer for t in record.turns] == ["An answer."]


async def test_concurrent_writers_of_one_turn(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    await store.mark_started(interview_id, {})
    results = await asyncio.gather(
        *(store.append_turn(interview_id, turn(0, answer=f"writer {n}"), {"writer": n}) for n in range(4)),
        return_exceptions=True,
    )
    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, TurnConflict) for r in results if r is not None)
    record = await store.get_interview(interview_id)
    assert record is not None and len(record.turns) == 1
    assert record.interviewer_state == {"writer": int(record.turns[0].answer.split()[-1])}


async def test_finish_is_final(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    await store.mark_started(interview_id, {})
    await store.append_turn(interview_id, turn(0), {})
    await store.finish(interview_id, "ended", "candidate_ended")
    await store.finish(interview_id, "completed", "completed")
    record = await store.get_interview(interview_id)
    assert record is not None
    assert (record.status, record.end_reason) == ("ended", "candidate_ended")
    assert record.ended_at is not None
    with pytest.raises(InterviewClosed):
        await store.append_turn(interview_id, turn(1), {})
    with pytest.raises(InterviewClosed):
        await store.mark_started(interview_id, {})
    with pytest.raises(ValueError):
        await store.finish(interview_id, "in_progress", "nonsense")


async def test_usage_adds_up_over_sessions(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"), hash_token("obs"))
    await store.add_usage(interview_id, {"prompt_tokens": 120, "transcribed_seconds": 4.5})
    await store.add_usage(interview_id, {"prompt_tokens": 30, "completion_tokens": 7})
    record = await store.get_interview(interview_id)
    assert record is not None
    assert record.usage == {"prompt_tokens": 150, "transcribed_seconds": 4.5, "completion_tokens": 7}
    with pytest.raises(InterviewNotFound):
        await store.add_usage("missing", {"prompt_tokens": 1})


async def test_unknown_interview(store: Store) -> None:
    with pytest.raises(InterviewNotFound):
        await store.mark_started("missing", {})
    with pytest.raises(InterviewNotFound):
        await store.append_turn("missing", turn(0), {})
    with pytest.raises(InterviewNotFound):
        await store.finish("missing", "completed", "completed")
    with pytest.raises(InterviewNotFound):
        await store.save_evaluation("missing", [], None, {})


async def test_history_newest_first_paginated_and_filtered(store: Store) -> None:
    titles = ["Backend Engineer", "Frontend Engineer", "Data Scientist", "100% Remote Engineer", "backend lead"]
    ids = []
    for title in titles:
        ids.append(await store.create_interview(InterviewSetup("C", title), hash_token("t")))
    await store.mark_started(ids[1], {})
    await store.append_turn(ids[1], turn(0), {})
    await store.finish(ids[2], "completed", "completed")

    page = await store.list_interviews(limit=2)
    assert page.total == 5
    assert [s.id for s in page.items] == ids[::-1][:2]
    page2 = await store.list_interviews(limit=2, offset=2)
    assert [s.id for s in page2.items] == ids[::-1][2:4]
    assert [s.id for s in (await store.list_interviews(limit=10, offset=4)).items] == [ids[0]]

    backend = await store.list_interviews(limit=10, job_title="BACKEND")
    assert {s.job_title for s in backend.items} == {"Backend Engineer", "backend lead"}
    assert backend.total == 2
    percent = await store.list_interviews(limit=10, job_title="100%")
    assert [s.job_title for s in percent.items] == ["100% Remote Engineer"]
    assert (await store.list_interviews(limit=10, job_title="_")).total == 0

    in_progress = await store.list_interviews(limit=10, status="in_progress")
    assert [(s.id, s.turn_count) for s in in_progress.items] == [(ids[1], 1)]
    assert (await store.list_interviews(limit=10, status="completed", job_title="data")).total == 1
    assert (await store.list_interviews(limit=10, status="completed", job_title="backend")).total == 0


async def test_evaluations_replace_the_previous_ones(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    now = datetime(2025, 6, 1, 13, 0, tzinfo=UTC)
    first = [
        QuestionEvaluation(1, "Q1?", "A1", 3.0, "Fine.", "rubric-1", {"matched": ["api"]}, now),
        QuestionEvaluation(2, "Q2?", "A2", None, "Not answered.", "rubric-1", {}, now),
    ]
    await store.save_evaluation(interview_id, first, 3.0, {"summary": "first"})
    assert await store.get_evaluations(interview_id) == first
    second = [QuestionEvaluation(1, "Q1?", "A1", 4.5, "Good.", "rubric-2", {"matched": ["api", "sql"]}, now)]
    await store.save_evaluation(interview_id, second, 4.5, {"summary": "second"})
    assert await store.get_evaluations(interview_id) == second
    record = await store.get_interview(interview_id)
    assert record is not None
    assert (record.final_score, record.report) == (4.5, {"summary": "second"})
    assert record.evaluated_at is not None
    with pytest.raises(ValueError):
        await store.save_evaluation(interview_id, first + first, 1.0, {})
    assert await store.get_evaluations(interview_id) == second, "a refused evaluation changes nothing"


async def test_sqlite_file_is_in_wal_mode_under_the_data_dir(tmp_path: Path) -> None:
    store = create_store(Settings(data_dir=tmp_path / "a" / "b"))
    await store.open()
    await store.close()
    path = tmp_path / "a" / "b" / "viva.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        versions = [row[0] for row in conn.execute("select version from schema_migrations")]
    assert versions == [m.version for m in load_migrations(SQLITE_DIR)]


def test_both_dialects_have_the_same_migrations() -> None:
    assert [(m.version, m.name) for m in load_migrations(SQLITE_DIR)] == [
        (m.version, m.name) for m in load_migrations(POSTGRES_DIR)
    ]


async def test_both_databases_have_the_same_tables_and_columns(tmp_path: Path) -> None:
    sqlite_store = SqlStore(SqliteDriver(tmp_path / "db.sqlite3"))
    await sqlite_store.open()
    await sqlite_store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        sqlite_columns = {(table, row[1]) for table in tables for row in conn.execute(f"pragma table_info({table})")}
    conn_pg = await connect()
    try:
        async with temporary_schema() as schema:
            pg_store = SqlStore(PostgresDriver(POSTGRES_URL, schema=schema))
            await pg_store.open()
            await pg_store.close()
            rows = await conn_pg.fetch(
                "select table_name, column_name from information_schema.columns where table_schema = $1", schema
            )
    finally:
        await conn_pg.close()
    assert {(r["table_name"], r["column_name"]) for r in rows} == sqlite_columns


async def test_postgres_rls_on_every_table_and_no_access_for_anon() -> None:
    """As on Supabase, where anon and authenticated get every new table by default privileges."""
    conn = await connect()
    try:
        for role in ("anon", "authenticated"):
            await conn.execute(
                f"do $$ begin if not exists (select 1 from pg_roles where rolname = '{role}') then "
                f"create role {role} nologin; end if; end $$"
            )
        async with temporary_schema() as schema:
            await conn.execute(f'create schema "{schema}"')
            await conn.execute(f'grant usage on schema "{schema}" to anon, authenticated')
            await conn.execute(
                f'alter default privileges in schema "{schema}" grant all on tables to anon, authenticated'
            )
            store = SqlStore(PostgresDriver(POSTGRES_URL, schema=schema))
            await store.open()
            await store.close()
            tables = await conn.fetch(
                "select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                "where n.nspname = $1 and c.relkind = 'r'",
                schema,
            )
            assert {t["relname"] for t in tables} == {"interviews", "turns", "questions", "events", "schema_migrations"}
            assert all(t["relrowsecurity"] for t in tables)
            for table in tables:
                for role in ("anon", "authenticated"):
                    for privilege in ("select", "insert", "update", "delete"):
                        allowed = await conn.fetchval(
                            "select has_table_privilege($1, $2, $3)", role, f'"{schema}".{table["relname"]}', privilege
                        )
                        assert not allowed, f"{role} may {privilege} {table['relname']}"
    finally:
        await conn.close()


async def test_postgres_migrations_apply_once_under_concurrent_starts() -> None:
    await (await connect()).close()
    async with temporary_schema() as schema:
        stores = [SqlStore(PostgresDriver(POSTGRES_URL, schema=schema)) for _ in range(3)]
        await asyncio.gather(*(s.open() for s in stores))
        for s in stores:
            await s.close()
        conn = await connect()
        try:
            versions = await conn.fetch(f'select version from "{schema}".schema_migrations')
        finally:
            await conn.close()
        assert [r["version"] for r in versions] == [m.version for m in load_migrations(POSTGRES_DIR)]


async def test_pending_question_is_kept_with_the_turn_before_it(make_store: StoreFactory) -> None:
    store = make_store()
    await store.open()
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    asked = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    first = PendingQuestion(0, "greeting", 1, "Hello. Question 1?", asked)
    await store.mark_started(interview_id, {"step": 0}, first)
    record = await store.get_interview(interview_id)
    assert record is not None and record.pending == first and record.current_pending == first

    second = PendingQuestion(1, "question", 2, "Question 2?", asked + timedelta(minutes=1))
    await store.append_turn(interview_id, turn(0), {"step": 1}, second)
    await store.close()
    reopened = make_store()
    await reopened.open()
    record = await reopened.get_interview(interview_id)
    assert record is not None and record.current_pending == second

    await reopened.append_turn(interview_id, turn(1), {"step": 2})  # a live session: no words known
    record = await reopened.get_interview(interview_id)
    assert record is not None and record.pending is None and record.current_pending is None


def test_a_stale_pending_question_is_not_current() -> None:
    record = InterviewRecord(
        id="x",
        setup=SETUP,
        status="in_progress",
        created_at=datetime(2025, 6, 1, tzinfo=UTC),
        turns=[turn(0)],
        pending=PendingQuestion(0, "question", 1, "Already answered?", datetime(2025, 6, 1, tzinfo=UTC)),
    )
    assert record.current_pending is None


def test_migration_files_are_named_and_numbered(tmp_path: Path) -> None:
    (tmp_path / "20250101000000_first.sql").write_text("create table a (x int);")
    (tmp_path / "20250102000000_second.sql").write_text("create table b (x int);")
    assert [(m.version, m.name) for m in load_migrations(tmp_path)] == [
        ("20250101000000", "first"),
        ("20250102000000", "second"),
    ]
    (tmp_path / "2025_bad.sql").write_text("select 1;")
    with pytest.raises(ValueError, match=r"2025_bad\.sql"):
        load_migrations(tmp_path)
    (tmp_path / "2025_bad.sql").unlink()
    (tmp_path / "20250101000000_again.sql").write_text("select 1;")
    with pytest.raises(ValueError, match="duplicate"):
        load_migrations(tmp_path)


def test_sqlite_scripts_split_into_statements() -> None:
    script = "-- a comment\ncreate table a (x text default 'a;b');\n\ncreate index i on a (x);\n-- trailing\n"
    assert split_statements(script) == [
        "-- a comment\ncreate table a (x text default 'a;b');",
        "create index i on a (x);",
    ]
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("create table a (x int);\ncreate table b (")


async def test_a_failed_sqlite_migration_changes_nothing(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "20250101000000_good.sql").write_text("create table a (x int);")
    (migrations / "20250102000000_bad.sql").write_text("create table b (x int);\ninsert into nowhere values (1);")
    store = SqlStore(SqliteDriver(tmp_path / "db.sqlite3", migrations_dir=migrations))
    with pytest.raises(sqlite3.OperationalError):
        await store.open()
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        applied = [r[0] for r in conn.execute("select version from schema_migrations")]
    assert tables == {"schema_migrations"} and applied == []


async def test_one_question_evaluation_is_inserted_or_replaced(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("t"))
    now = datetime(2025, 6, 1, 13, 0, tzinfo=UTC)
    first = QuestionEvaluation(1, "Q1?", "A1", 3.0, "Fine.", "rubric-1", {"n": 1}, now)
    second = QuestionEvaluation(2, "Q2?", "A2", 5.0, "Good.", "rubric-1", {"n": 2}, now)
    rescored = QuestionEvaluation(1, "Q1?", "A1 and more", 6.0, "Better.", "rubric-1", {"n": 3}, now)
    await store.save_question_evaluation(interview_id, first)
    await store.save_question_evaluation(interview_id, second)
    await asyncio.gather(*(store.save_question_evaluation(interview_id, rescored) for _ in range(3)))
    assert await store.get_evaluations(interview_id) == [rescored, second]
    with pytest.raises(InterviewNotFound):
        await store.save_question_evaluation("missing", first)
