"""A live interview survives a SIGKILL of the server: the candidate reconnects with the same link and carries on.

Every finished turn is committed before the interviewer moves on, so after the kill, a restarted server on the
same storage (SQLite, or a PostgreSQL schema of its own) resumes at the question that was being asked.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from protocol import messages as m
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, is_type, start_interview
from tests.test_durability_rest import kill, storage_env

pytestmark = pytest.mark.slow

ANSWERS = [
    "I led the payment team for three years and we moved every service to Kubernetes.",
    "I measured the p99 latency first, then cut it by forty percent with connection pooling.",
    "I would split reads from writes and put a queue in front of the ledger.",
]


async def answer(client: LiveClient, text: str) -> m.UtteranceStart:
    """Type an answer; return the interviewer's next utterance (it starts only after the turn was saved)."""
    mark = len(client.received)
    await client.send(m.TextAnswer(text=text))
    await client.wait_for(is_type(m.FinalTranscript, text=text), 30, start=mark)
    nxt: m.UtteranceStart = await client.wait_for(is_type(m.UtteranceStart), 60, start=mark)
    await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60, start=mark)
    return nxt


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_live_interview_continues_after_sigkill(tmp_path: Path, database: str) -> None:
    async with storage_env(database) as env:
        server = ServerProcess(tmp_path / "server", env)
        try:
            await asyncio.to_thread(server.start)
            created = start_interview(server.url, num_questions=4)
            client = await LiveClient.connect(server.url, created["interview_id"], created["candidate_token"])
            await client.handshake()
            await client.send(m.Start())
            await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
            await answer(client, ANSWERS[0])
            pending = await answer(client, ANSWERS[1])

            await kill(server)
            await asyncio.wait_for(client.closed.wait(), 10)
            await asyncio.to_thread(server.start)

            again = await LiveClient.connect(server.url, created["interview_id"], created["candidate_token"])
            ready = await again.handshake()
            assert ready.started
            assert [turn.answer for turn in ready.history] == ANSWERS[:2]
            await again.send(m.Start())
            repeated: m.UtteranceStart = await again.wait_for(is_type(m.UtteranceStart), 60)
            assert repeated.question_number == pending.question_number
            await again.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
            await again.send(m.TextAnswer(text=ANSWERS[2]))
            final: m.FinalTranscript = await again.wait_for(is_type(m.FinalTranscript), 30)
            assert final.turn == 2
            await again.send(m.End())
            ended: m.Ended = await again.wait_for(is_type(m.Ended), 30)
            assert [turn.answer for turn in ended.summary] == ANSWERS
        finally:
            server.stop()
