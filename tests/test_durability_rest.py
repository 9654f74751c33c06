"""An interview held over REST survives a SIGKILL of the server: no finished turn is lost, and it continues.

A real ``viva serve`` runs as a subprocess on SQLite (its data directory) or on the real PostgreSQL server (a
schema of its own); the test kills it with SIGKILL mid-interview, starts a new process on the same storage,
and carries on with the same candidate link.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

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


async def start(client: httpx.AsyncClient) -> dict[str, Any]:
    """Create an interview as the recruiter."""
    setup = {**START, "num_questions": 3}
    response = await client.post("/api/v1/interview/start", json=setup, headers=recruiter_headers())
    assert response.status_code == 201, response.text
    return dict(response.json())


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
                started = await start(client)
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


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_sigkill_during_an_answer_loses_nothing_half_way(tmp_path: Path, database: str) -> None:
    """Killed while an answer is being saved: afterwards the turn is either wholly there or wholly absent."""
    async with storage_env(database) as env:
        server = ServerProcess(tmp_path / "server", env)
        try:
            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                started = await start(client)
                candidate = Candidate(client, started)
                first = await candidate.question()
                answering = asyncio.create_task(candidate.answer(first["turn_index"]))
                await asyncio.sleep(0.005)
                await kill(server)
                outcome = await asyncio.gather(answering, return_exceptions=True)

            await asyncio.to_thread(server.start)
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                candidate = Candidate(client, started)
                turns = await candidate.turns()
                pending = await candidate.question()
            if isinstance(outcome[0], dict):  # the answer was acknowledged before the kill: it must be there
                assert len(turns) == 1
            assert len(turns) in (0, 1)
            assert pending["turn_index"] == len(turns)
            if turns:
                assert turns[0]["answer"] == STRONG_ANSWER and turns[0]["question"] == first["question_text"]
            else:
                assert pending["question_text"] == first["question_text"]
        finally:
            server.stop()
