"""A live interview through a real database outage, on a real server: the candidate is told the answer could not
be saved yet, it is saved without being given again when the database is back, and if it never comes back the
session closes with 1013 having lost nothing it acknowledged. Meanwhile ``/health`` says 503, REST answers 503
and a new connection is refused with 1013 instead of an HTTP 500.

PostgreSQL is cut off behind a proxy the test controls; SQLite is write-locked by another connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from protocol import messages as m
from tests.conftest import ServerProcess, recruiter_headers
from tests.live_client import DEFAULT_SETUP, LiveClient, dump, is_type
from tests.observer_client import ws_base
from tests.outage_support import postgres_behind_proxy, sqlite_write_locked
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow

FIRST = "I designed the payments API in Python and moved it to PostgreSQL with zero downtime."
SECOND = "I measured it with dashboards and load tests, and cut failed charges by forty percent."


@asynccontextmanager
async def server_on_postgres(tmp_path: Path, retry_s: float) -> AsyncIterator[tuple[ServerProcess, TcpProxy]]:
    async with postgres_behind_proxy() as (proxy, url, schema):
        env = {"VIVA_DATABASE_URL": url, "VIVA_DATABASE_SCHEMA": schema, "VIVA_STORE_RETRY_S": str(retry_s)}
        server = ServerProcess(tmp_path / "server", env)
        # Off the event loop: the proxy the server connects through runs on it.
        await asyncio.to_thread(server.start)
        try:
            yield server, proxy
        finally:
            await proxy.restore()
            await asyncio.to_thread(server.stop)


async def create(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.post("/api/v1/interview/start", json={**DEFAULT_SETUP, "num_questions": 3})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def begin(base_url: str, created: dict[str, Any]) -> LiveClient:
    client = await LiveClient.connect(base_url, created["interview_id"], created["candidate_token"])
    await client.handshake()
    await client.send(m.Start())
    return client


async def answer_when_asked(client: LiveClient, text: str) -> int:
    """Type ``text`` as soon as the candidate may (a typed answer interrupts the interviewer); the index of the
    first message received after it was sent."""
    finals = [i for i, r in enumerate(client.received) if isinstance(r.message, m.FinalTranscript)]
    since = finals[-1] + 1 if finals else 0
    await client.wait_for(
        lambda msg: isinstance(msg, m.StateChanged) and msg.state in ("speaking", "listening"), 90, since
    )
    mark = len(client.received)
    await client.send(m.TextAnswer(text=text))
    return mark


def store_unavailable(fatal: bool) -> Any:
    return lambda msg: isinstance(msg, m.ErrorMessage) and msg.code == "store_unavailable" and msg.fatal is fatal


async def close_code_of(url: str) -> tuple[int | None, str]:
    """Open a socket (it must be accepted: an HTTP 500 handshake raises here) and return how it was closed."""
    async with websockets.connect(url) as ws:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
        return ws.close_code, ws.close_reason or ""


async def test_an_answer_given_during_a_postgres_outage_is_saved_when_it_returns(tmp_path: Path) -> None:
    async with (
        server_on_postgres(tmp_path, retry_s=120) as (server, proxy),
        httpx.AsyncClient(base_url=server.url, timeout=30, headers=recruiter_headers()) as http,
    ):
        created = await create(http)
        candidate = await begin(server.url, created)
        await answer_when_asked(candidate, FIRST)
        await candidate.wait_for(is_type(m.FinalTranscript, turn=0), 30)

        await proxy.cut_off()
        mark = await answer_when_asked(candidate, SECOND)
        told: m.ErrorMessage = await candidate.wait_for(store_unavailable(fatal=False), 30, mark)
        assert "trying again" in told.message
        assert not [f for f in candidate.messages(m.FinalTranscript) if f.turn == 1], "acknowledged before saved"

        health = await http.get("/health")
        assert health.status_code == 503 and health.json()["checks"]["store"]["status"] == "down", health.text
        refused = await http.post("/api/v1/interview/start", json=DEFAULT_SETUP)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "store_unavailable"
        assert refused.headers["retry-after"]
        # A reconnect (say, from another tab) and an observer: refused with 1013, not an HTTP 500 handshake.
        base = ws_base(server.url)
        reconnect = f"{base}/ws/interview/{created['interview_id']}?token={created['candidate_token']}"
        observe = f"{base}/ws/observe/{created['interview_id']}?token={created['observer_token']}"
        for url in (reconnect, observe):
            code, reason = await close_code_of(url)
            assert code == m.CloseCode.TRY_AGAIN_LATER and "database" in reason, (url, code, reason)

        await proxy.restore()
        final: m.FinalTranscript = await candidate.wait_for(is_type(m.FinalTranscript, turn=1), 60, mark)
        assert final.text == SECOND, dump(candidate)
        assert not candidate.closed.is_set(), "the session went on"
        assert (await http.get("/health")).status_code == 200
        detail = (await http.get(f"/api/v1/interviews/{created['interview_id']}")).json()
        assert [t["answer"] for t in detail["turns"]] == [FIRST, SECOND]
        await candidate.close()


async def test_when_postgres_never_returns_the_session_closes_with_1013_losing_nothing_acknowledged(
    tmp_path: Path,
) -> None:
    async with (
        server_on_postgres(tmp_path, retry_s=3) as (server, proxy),
        httpx.AsyncClient(base_url=server.url, timeout=30, headers=recruiter_headers()) as http,
    ):
        created = await create(http)
        candidate = await begin(server.url, created)
        await answer_when_asked(candidate, FIRST)
        await candidate.wait_for(is_type(m.FinalTranscript, turn=0), 30)

        await proxy.cut_off()
        mark = await answer_when_asked(candidate, SECOND)
        await candidate.wait_for(store_unavailable(fatal=False), 30, mark)
        gave_up: m.ErrorMessage = await candidate.wait_for(store_unavailable(fatal=True), 30, mark)
        assert "reconnect" in gave_up.message
        await asyncio.wait_for(candidate.closed.wait(), 30)
        assert candidate.close_code == m.CloseCode.TRY_AGAIN_LATER, (candidate.close_code, candidate.close_reason)
        assert not [f for f in candidate.messages(m.FinalTranscript) if f.turn == 1]

        await proxy.restore()
        again = await LiveClient.connect(server.url, created["interview_id"], created["candidate_token"])
        ready = await again.handshake()
        assert ready.started and [t.answer for t in ready.history] == [FIRST]
        await again.close()


async def test_an_answer_given_while_sqlite_is_locked_is_saved_when_it_is_released(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server", {"VIVA_STORE_RETRY_S": "120"}).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30, headers=recruiter_headers()) as http:
            created = await create(http)
            candidate = await begin(server.url, created)
            await answer_when_asked(candidate, FIRST)
            await candidate.wait_for(is_type(m.FinalTranscript, turn=0), 30)

            with sqlite_write_locked(server.data_dir / "viva.sqlite3"):
                mark = await answer_when_asked(candidate, SECOND)
                # Each write waits out SQLite's busy timeout (10 s) before the database counts as unavailable.
                await candidate.wait_for(store_unavailable(fatal=False), 60, mark)
                health = await http.get("/health")
                assert health.status_code == 503, health.text
                assert not [f for f in candidate.messages(m.FinalTranscript) if f.turn == 1]

            final: m.FinalTranscript = await candidate.wait_for(is_type(m.FinalTranscript, turn=1), 60, mark)
            assert final.text == SECOND
            assert (await http.get("/health")).status_code == 200
            detail = (await http.get(f"/api/v1/interviews/{created['interview_id']}")).json()
            assert [t["answer"] for t in detail["turns"]] == [FIRST, SECOND]
            await candidate.close()
    finally:
        server.stop()
