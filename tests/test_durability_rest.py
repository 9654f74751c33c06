"""An interview held over REST survives a SIGKILL of the server: no finished turn is lost, and it continues.

A real ``viva serve`` runs as a subprocess on SQLite (its data directory) or on the real PostgreSQL server (a
schema of its own); the test kills it with SIGKILL mid-interview, starts a new process on the same storage,
and carries on with the same candidate link. The kills happen at named points, never after a guessed delay:
between two requests; while the server waits for the database lock it needs to commit a turn (the test holds
that lock); and as soon as the turn is committed (the test sees the row).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from server.config import Settings
from tests.api_support import START, STRONG_ANSWER
from tests.conftest import ServerProcess, recruiter_headers
from tests.postgres import POSTGRES_URL, connect, temporary_schema

pytestmark = pytest.mark.slow


@asynccontextmanager
async def storage_env(database: str) -> AsyncIterator[dict[str, str]]:
    if database == "sqlite":
        yield {}
        return
    await (await connect()).close()
    async with temporary_schema("viva_durability") as schema:
        yield {"VIVA_DATABASE_URL": POSTGRES_URL, "VIVA_DATABASE_SCHEMA": schema}


class Candidate:
    """The REST calls of a candidate holding the interview in text."""

    def __init__(self, client: httpx.AsyncClient, started: dict[str, Any]) -> None:
        self.client = client
        self.auth = {"interview_id": started["interview_id"], "candidate_token": started["candidate_token"]}

    async def question(self) -> dict[str, Any]:
        response = await self.client.post("/api/v1/interview/question", json=self.auth)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def answer(self, turn_index: int) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/interview/answer", json={**self.auth, "answer": STRONG_ANSWER, "turn_index": turn_index}
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def turns(self) -> list[dict[str, Any]]:
        response = await self.client.get(f"/api/v1/interviews/{self.auth['interview_id']}", headers=recruiter_headers())
        return list(response.json()["turns"])


async def kill(server: ServerProcess) -> None:
    await asyncio.to_thread(server.stop, True)
    assert server.process is not None and server.process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_rest_interview_continues_after_sigkill(tmp_path: Path, database: str) -> None:
    async with storage_env(database) as env:
        server = ServerProcess(tmp_path / "server", env)
        try:
            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                started = (
                    await client.post(
                        "/api/v1/interview/start", json={**START, "num_questions": 3}, headers=recruiter_headers()
                    )
                ).json()
                candidate = Candidate(client, started)
                asked = [await candidate.question()]
                for _ in range(2):
                    reply = await candidate.answer(asked[-1]["turn_index"])
                    asked.append(reply["next_question"])
                before = await candidate.turns()
            assert len(before) == 2

            await kill(server)
            await asyncio.to_thread(server.start)

            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                candidate = Candidate(client, started)
                assert await candidate.turns() == before, "every finished turn survived, exactly"
                pending = await candidate.question()
                assert (pending["turn_index"], pending["question_text"]) == (
                    asked[-1]["turn_index"],
                    asked[-1]["question_text"],
                ), "the interview continues at the question it stood on, worded the same"
                while not (reply := await candidate.answer(pending["turn_index"]))["complete"]:
                    pending = reply["next_question"]
                after = await candidate.turns()
            assert after[:2] == before and len(after) > 2
            assert [t["index"] for t in after] == list(range(len(after)))
        finally:
            server.stop()


class HeldStorage:
    """The server's storage seen from the test: it can take the write lock the server needs to commit a turn,
    tell when the server is stuck behind it, and see a committed turn the moment it is committed."""

    def __init__(self, database: str, server: ServerProcess, env: dict[str, str]) -> None:
        self.database = database
        self.server = server
        self.schema = env.get("VIVA_DATABASE_SCHEMA", "")
        self.sqlite_path = Settings(data_dir=server.data_dir).sqlite_path

    @asynccontextmanager
    async def write_lock(self) -> AsyncIterator[Callable[[], Awaitable[None]]]:
        """Hold what committing a turn needs; yields a wait for the server to be blocked on it."""
        if self.database == "sqlite":
            conn = sqlite3.connect(self.sqlite_path, isolation_level=None, timeout=10)
            conn.execute("begin immediate")  # the write lock: the server's "begin immediate" waits for it
            try:
                yield self._sqlite_writer_waits
            finally:
                conn.execute("rollback")
                conn.close()
            return
        pg = await connect()
        try:
            async with pg.transaction():
                # Inserting a turn needs ROW EXCLUSIVE on the table, which SHARE excludes (reads go on).
                await pg.execute(f'lock table "{self.schema}".turns in share mode')

                async def blocked() -> None:
                    await until(lambda: self._pg_waiters(pg), "the server's insert to wait for the lock")

                yield blocked
                # Leaving ends the transaction (it changed nothing); a killed server's backend then finds its
                # client gone and rolls its own back.
        finally:
            await pg.close()

    async def _pg_waiters(self, pg: asyncpg.Connection) -> bool:
        waiting = await pg.fetchval(
            "select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))", pg.get_server_pid()
        )
        return bool(waiting)

    async def _sqlite_writer_waits(self) -> None:
        async def asleep() -> bool:
            return bool(sleeping_threads(self.server))

        await until(asleep, "a server thread to sleep in SQLite's busy handler (read from /proc/<pid>/task/*/wchan)")

    async def committed_turns(self, interview_id: str) -> int:
        """Turns committed, as any other connection sees them."""
        if self.database == "sqlite":
            with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=10)) as conn:
                return int(
                    conn.execute("select count(*) from turns where interview_id = ?", (interview_id,)).fetchone()[0]
                )
        pg = await connect()
        try:
            return int(
                await pg.fetchval(f'select count(*) from "{self.schema}".turns where interview_id = $1', interview_id)
            )
        finally:
            await pg.close()


def sleeping_threads(server: ServerProcess) -> list[str]:
    """Threads of the server process asleep in nanosleep, from the kernel's wait channel in /proc (Linux).

    An idle server sleeps in nothing but epoll and futexes (a test checks that before relying on it), and
    the only sleep on the way of an answer is SQLite's busy handler, between two attempts to take the write
    lock: a thread asleep there means the server is blocked on the lock the test holds.
    """
    assert server.process is not None
    tasks = Path(f"/proc/{server.process.pid}/task")
    sleeping = []
    for task in tasks.iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            if "nanosleep" in (task / "wchan").read_text():
                sleeping.append(task.name)
    return sleeping


async def until(condition: Callable[[], Awaitable[bool]], what: str, timeout_s: float = 30) -> None:
    """Poll ``condition`` until it holds (a state the test waits for, not a duration it counts on)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        await asyncio.sleep(0.01)


async def start(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/interview/start", json={**START, "num_questions": 3}, headers=recruiter_headers()
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def started_at_first_question(client: httpx.AsyncClient) -> tuple[dict[str, Any], Candidate, dict[str, Any]]:
    started = (
        await client.post("/api/v1/interview/start", json={**START, "num_questions": 3}, headers=recruiter_headers())
    ).json()
    candidate = Candidate(client, started)
    return started, candidate, await candidate.question()


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_sigkill_before_the_turn_is_committed_loses_it_whole(tmp_path: Path, database: str) -> None:
    """Killed while its answer waits to be written: no reply was given, and after a restart the turn is wholly
    absent and the same question is pending, worded the same, ready to be answered."""
    async with storage_env(database) as env:
        server = ServerProcess(tmp_path / "server", env)
        storage = HeldStorage(database, server, env)
        try:
            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                started, candidate, first = await started_at_first_question(client)
                assert sleeping_threads(server) == [], "an idle server must not sleep: the wait below tells nothing"
                async with storage.write_lock() as blocked:
                    answering = asyncio.create_task(candidate.answer(first["turn_index"]))
                    await blocked()  # the named point: the server is about to commit the turn, and cannot
                    await kill(server)
                    outcome = (await asyncio.gather(answering, return_exceptions=True))[0]
                assert isinstance(outcome, httpx.TransportError), f"an answer not committed was acknowledged: {outcome}"

            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                candidate = Candidate(client, started)
                assert await candidate.turns() == []
                pending = await candidate.question()
                assert (pending["turn_index"], pending["question_text"]) == (
                    first["turn_index"],
                    first["question_text"],
                )
                await candidate.answer(pending["turn_index"])
                turns = await candidate.turns()
            assert [(t["index"], t["question"], t["answer"]) for t in turns] == [
                (0, first["question_text"], STRONG_ANSWER)
            ]
        finally:
            server.stop()


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_sigkill_once_the_turn_is_committed_keeps_it(tmp_path: Path, database: str) -> None:
    """Killed the moment the turn is committed (whether or not the reply got out): after a restart the turn is
    there, and the interview goes on at the question an interview that was never killed asks next."""
    async with storage_env(database) as env:
        server = ServerProcess(tmp_path / "server", env)
        storage = HeldStorage(database, server, env)
        try:
            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                started, candidate, first = await started_at_first_question(client)
                answering = asyncio.create_task(candidate.answer(first["turn_index"]))

                async def committed() -> bool:
                    return await storage.committed_turns(started["interview_id"]) == 1

                await until(committed, "the turn to be committed")
                await kill(server)
                await asyncio.gather(answering, return_exceptions=True)  # a reply, or none: either may be true

            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                candidate = Candidate(client, started)
                turns = await candidate.turns()
                pending = await candidate.question()
                _, never_killed, its_first = await started_at_first_question(client)
                assert its_first["question_text"] == first["question_text"]
                expected = (await never_killed.answer(its_first["turn_index"]))["next_question"]
            assert [(t["index"], t["question"], t["answer"]) for t in turns] == [
                (0, first["question_text"], STRONG_ANSWER)
            ]
            assert (pending["turn_index"], pending["question_number"], pending["question_text"]) == (
                1,
                expected["question_number"],
                expected["question_text"],
            )
        finally:
            server.stop()
