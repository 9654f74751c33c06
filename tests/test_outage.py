"""The database goes away and comes back, for real, on both databases: readiness says so, REST answers 503 with
Retry-After (never 500), and everything works again once it is back.

PostgreSQL is cut off behind a proxy (every connection dropped, new ones refused); SQLite is write-locked by
another connection, as another process would hold it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from server.conversation.setup import InterviewSetup
from server.services.runtime import Services
from server.store import create_store
from server.store.base import StoreUnavailable
from server.store.retry import retry_unavailable
from server.store.sql import SqlStore
from server.store.sqlite import SqliteDriver
from tests.api_support import START, STRONG_ANSWER, app_client, changed, start
from tests.outage_support import postgres_behind_proxy, sqlite_write_locked

#: An outage is toggled by a context: inside it the database is unreachable.
Outage = Callable[[], AbstractAsyncContextManager[None]]


@asynccontextmanager
async def on_database(database: str, services: Services, tmp_path: Path) -> AsyncIterator[tuple[Services, Outage]]:
    """``services`` with a store on ``database``, and a way to take that database away for a while."""
    if database == "sqlite":
        path = tmp_path / "outage.sqlite3"
        store = SqlStore(SqliteDriver(path, busy_timeout_ms=200))  # a short wait, so each refusal comes quickly
        await store.open()

        @asynccontextmanager
        async def locked() -> AsyncIterator[None]:
            with sqlite_write_locked(path):
                yield

        try:
            yield dataclasses.replace(services, store=store), locked
        finally:
            await store.close()
        return
    async with postgres_behind_proxy() as (proxy, url, schema):
        settings = changed(services.settings, database_url=url, database_schema=schema)
        store = create_store(settings)
        await store.open()

        @asynccontextmanager
        async def cut() -> AsyncIterator[None]:
            await proxy.cut_off()
            try:
                yield
            finally:
                await proxy.restore()

        try:
            yield dataclasses.replace(services, settings=settings, store=store), cut
        finally:
            await store.close()


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_rest_and_health_during_an_outage(services: Services, tmp_path: Path, database: str) -> None:
    async with on_database(database, services, tmp_path) as (db_services, outage), app_client(db_services) as client:
        created = await start(client)
        candidate = {"interview_id": created["interview_id"], "candidate_token": created["candidate_token"]}
        ready = await client.get("/health")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["store"] == {"status": "up"}

        async with outage():
            health = await client.get("/health")
            assert health.status_code == 503, health.text
            body = health.json()
            assert body["status"] == "unavailable" and body["checks"]["store"]["status"] == "down"
            assert body["checks"]["store"]["message"]
            assert health.headers["retry-after"]
            assert (await client.get("/health/live")).status_code == 200  # liveness does not touch the database

            for response in (
                await client.post("/api/v1/interview/start", json=START),
                await client.post("/api/v1/interview/question", json=candidate),
            ):
                assert response.status_code == 503, response.text
                assert response.json()["error"]["code"] == "store_unavailable"
                assert int(response.headers["retry-after"]) >= 1

        assert (await client.get("/health")).status_code == 200
        question = await client.post("/api/v1/interview/question", json=candidate)
        assert question.status_code == 200, question.text
        answer = await client.post("/api/v1/interview/answer", json={**candidate, "answer": STRONG_ANSWER})
        assert answer.status_code == 200, answer.text
        detail = await client.get(f"/api/v1/interviews/{created['interview_id']}")
        assert [t["answer"] for t in detail.json()["turns"]] == [STRONG_ANSWER]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_write_retried_through_an_outage_lands_once_the_database_is_back(
    services: Services, tmp_path: Path, database: str
) -> None:
    setup = InterviewSetup(candidate_name="Ada", job_title="Engineer")
    async with on_database(database, services, tmp_path) as (db_services, outage):
        store = db_services.store
        cut = outage()
        await cut.__aenter__()
        with pytest.raises(StoreUnavailable):
            await store.ping(1.0)
        failures: list[int] = []

        async def back_after_two_failures(exc: StoreUnavailable, attempt: int) -> None:
            failures.append(attempt)
            if attempt == 2:
                await cut.__aexit__(None, None, None)

        interview_id = await retry_unavailable(
            lambda: store.create_interview(setup, "digest"), within_s=30, on_unavailable=back_after_two_failures
        )
        assert failures == [1, 2]
        assert (await store.get_interview(interview_id)) is not None
        await store.ping(1.0)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_write_gives_up_after_the_retry_window(services: Services, tmp_path: Path, database: str) -> None:
    setup = InterviewSetup(candidate_name="Ada", job_title="Engineer")
    async with on_database(database, services, tmp_path) as (db_services, outage), outage():
        attempts: list[int] = []

        async def count(exc: StoreUnavailable, attempt: int) -> None:
            attempts.append(attempt)

        with pytest.raises(StoreUnavailable):
            await retry_unavailable(
                lambda: db_services.store.create_interview(setup, "digest"), within_s=1.0, on_unavailable=count
            )
        assert len(attempts) >= 2, "it retried before giving up"
