"""Several nodes: two ``viva serve`` processes on different ports sharing PostgreSQL and Redis. An observer on
node B watches a candidate on node A, in order, and steers the session on A; when Redis goes away the interview
goes on, observers are told the view is degraded, and it recovers when Redis is back.

Run alone with ``pytest -m multinode``. Needs the PostgreSQL and Redis that CI has on 127.0.0.1 (the tests fail
under ``CI=true`` when either is unreachable, and skip with the reason elsewhere).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from protocol import messages as m
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, answer_when_allowed, is_type, start_interview
from tests.observer_client import ObserverClient, assert_gapless
from tests.postgres import POSTGRES_URL, connect, temporary_schema
from tests.redis_support import RedisServer, require_redis

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

OBSERVER_QUESTION = "How did you test the migration before going live?"
#: How the interviewer says it: introduced, then the observer's words.
SAID = f"My colleague would like to ask: {OBSERVER_QUESTION}"
NOTE = "Answered the observer's question calmly."


@pytest.fixture
async def schema() -> AsyncIterator[str]:
    """A fresh PostgreSQL schema both nodes share (dropped afterwards)."""
    await (await connect()).close()
    async with temporary_schema("viva_multinode") as name:
        yield name


@contextmanager
def nodes(tmp_path: Path, schema: str, redis_url: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = {"VIVA_DATABASE_URL": POSTGRES_URL, "VIVA_DATABASE_SCHEMA": schema, "VIVA_REDIS_URL": redis_url}
    a = ServerProcess(tmp_path / "node-a", env=env)
    b = ServerProcess(tmp_path / "node-b", env=env)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


async def test_an_observer_on_one_node_watches_and_steers_a_candidate_on_another(tmp_path: Path, schema: str) -> None:
    with nodes(tmp_path, schema, require_redis()) as (a, b):
        created = start_interview(a.url, num_questions=2)
        iid, token = created["interview_id"], created["observer_token"]
        on_b = await ObserverClient.connect(b.url, iid, token, name="Bea")
        on_a = await ObserverClient.connect(a.url, iid, token)
        ready = await on_b.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 10)
        assert ready.live is m.LiveStatus.LIVE

        candidate = await LiveClient.connect(a.url, iid, created["candidate_token"])
        await candidate.handshake()
        await candidate.send(m.Start())
        await on_b.wait_for(is_type(m.UtteranceText, sentence=0), 60)

        await on_b.send(m.AskQuestion(text=OBSERVER_QUESTION, request_id="q"))
        await on_b.send(m.AddNote(text=NOTE, request_id="n"))
        await on_b.wait_for(is_type(m.SteeringApplied, status="queued", by="Bea"), 15)  # went to A and back
        await on_b.wait_for(is_type(m.NoteAdded, request_id="n"), 15)

        # The greeting asks nothing; question 1 follows it. The observer's question waits for the answer to it.
        await candidate.wait_for(is_type(m.UtteranceEnd, utterance_id=1), 90)
        await answer_when_allowed(candidate, "I moved billing to Kubernetes with canary releases.", turn=0)
        asked: m.UtteranceEnd = await candidate.wait_for(is_type(m.UtteranceEnd, text=SAID), 60)
        assert asked.duration_ms > 500, "spoken on node A in the interviewer's voice"
        await answer_when_allowed(candidate, "With a staging copy and replayed production traffic.", turn=1)
        await candidate.send(m.End())
        await candidate.wait_for(is_type(m.Ended), 60)
        for observer in (on_a, on_b):
            await observer.wait_for(is_type(m.CandidateConnection, connected=False), 30)

        watched = on_b.events()
        assert_gapless(watched)
        assert watched == on_a.events(), "both nodes' observers saw the same events in the same order"
        assert [f.text for f in on_b.payloads(m.FinalTranscript)] == [
            f.text for f in candidate.messages(m.FinalTranscript)
        ]
        said = [e.text for e in on_b.payloads(m.UtteranceEnd)]
        assert said == [e.text for e in candidate.messages(m.UtteranceEnd)]

        late = await ObserverClient.connect(b.url, iid, token)
        await late.wait_for(is_type(m.CandidateConnection, connected=False), 10)
        assert late.events() == watched

        report = httpx.get(
            f"{b.url}/api/v1/interview/results/{iid}", headers={"Authorization": f"Bearer {token}"}, timeout=60
        ).json()["report"]
        assert ("note", NOTE, "Bea") in [(x["action"], x["text"], x["by"]) for x in report["observer_actions"]]
        assert [t["question"] for t in report["transcript"] if t["asked_by"] == "observer"] == [SAID]
        for observer in (on_a, on_b, late):
            await observer.close()


async def test_the_interview_goes_on_without_redis_and_the_live_view_recovers(tmp_path: Path, schema: str) -> None:
    redis = RedisServer(tmp_path / "redis").start()
    try:
        with nodes(tmp_path, schema, redis.url) as (a, b):
            created = start_interview(a.url, num_questions=3)
            iid, token = created["interview_id"], created["observer_token"]
            observer = await ObserverClient.connect(b.url, iid, token)
            candidate = await LiveClient.connect(a.url, iid, created["candidate_token"])
            await candidate.handshake()
            await candidate.send(m.Start())
            await observer.wait_for(is_type(m.UtteranceText, sentence=0), 60)

            redis.stop()
            degraded = await observer.wait_for(is_type(m.LiveStatusChanged, status=m.LiveStatus.DEGRADED), 15)
            assert "database" in degraded.message

            # The candidate's interview does not notice: the answer is taken and the interviewer goes on.
            await answer_when_allowed(candidate, "I led the migration of our billing service.", turn=0)
            await candidate.wait_for(lambda msg: isinstance(msg, m.UtteranceEnd) and msg.utterance_id >= 1, 60)
            # The observer still follows, a little late, from the database.
            await observer.wait_for(is_type(m.FinalTranscript, turn=0), 15)
            await observer.send(m.AddNote(text="during the outage", request_id="lost"))
            refused = await observer.wait_for(lambda msg: isinstance(msg, m.SteeringRefused), 15)
            assert (refused.request_id, refused.code) == ("lost", m.ErrorCode.LIVE_UNAVAILABLE)

            redis.start()
            await observer.wait_for(is_type(m.LiveStatusChanged, status=m.LiveStatus.LIVE), 30)
            for attempt in range(40):  # node A's session resubscribes within a second or so
                request_id = f"back-{attempt}"
                await observer.send(m.AddNote(text="after the outage", request_id=request_id))
                outcome = await observer.wait_for(
                    lambda msg, request_id=request_id: (
                        isinstance(msg, m.SteeringRefused | m.NoteAdded) and msg.request_id == request_id
                    ),
                    15,
                )
                if isinstance(outcome, m.NoteAdded):
                    break
                # Node A's session has not resubscribed yet, or node B's publish failed: try again.
                assert outcome.code in (m.ErrorCode.NOT_LIVE, m.ErrorCode.LIVE_UNAVAILABLE), outcome
                await asyncio.sleep(0.5)
            assert [(n.text, n.request_id) for n in observer.payloads(m.NoteAdded)] == [
                ("after the outage", request_id)
            ]

            await answer_when_allowed(candidate, "We cut deploy time by 40 percent.", turn=1)
            await observer.wait_for(is_type(m.FinalTranscript, turn=1), 15)
            await candidate.send(m.End())
            await candidate.wait_for(is_type(m.Ended), 60)
            await observer.wait_for(is_type(m.CandidateConnection, connected=False), 30)

            watched = observer.events()
            assert_gapless(watched)
            fresh = await ObserverClient.connect(b.url, iid, token)
            await fresh.wait_for(is_type(m.CandidateConnection, connected=False), 10)
            assert fresh.events() == watched, "nothing was lost or repeated across the outage"
            for client in (observer, fresh):
                await client.close()
    finally:
        redis.stop()
