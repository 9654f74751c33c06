"""The journal when a write fails: one bad event never takes the others with it, numbers stay gapless, and
events recorded while the database is away are stored once it is back. On both databases."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from protocol import messages as m
from server.bus import InProcessBus
from server.config import Settings
from server.conversation.setup import InterviewSetup
from server.observers.journal import EventJournal
from server.observers.wire import events_channel
from server.store import create_store
from server.store.base import Store, StoredEvent
from tests.outage_support import postgres_behind_proxy
from tests.postgres import POSTGRES_URL, connect, temporary_schema

SETUP = InterviewSetup(candidate_name="Ada", job_title="Engineer", num_questions=2)
POISON = "this event cannot be stored"


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        store = create_store(Settings(data_dir=tmp_path / "data"))
        await store.open()
        yield store
        await store.close()
        return
    await (await connect()).close()
    async with temporary_schema() as schema:
        store = create_store(Settings(database_url=POSTGRES_URL, database_schema=schema))
        await store.open()
        yield store
        await store.close()


class RefusingStore:
    """The real store, except that it refuses (as a database refuses a value) any batch holding a poisoned event."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def append_events(self, interview_id: str, events: list[StoredEvent]) -> None:
        if any(POISON in json.dumps(e.payload) for e in events):
            raise ValueError("the database refused a value")
        await self.store.append_events(interview_id, events)


def batch_around(middle: BaseModel) -> list[BaseModel]:
    """Events recorded at once (one batch): unrelated live events around ``middle``."""
    return [
        m.CandidateConnection(connected=True),
        m.StateChanged(state=m.SessionState.THINKING),
        middle,
        m.FinalTranscript(turn=0, text="I led the migration.", answered_by="text"),
        m.StateChanged(state=m.SessionState.LISTENING),
    ]


async def record_batch(journal: EventJournal, events: list[BaseModel]) -> None:
    for event in events:
        journal.record(event)  # no await in between: the writer takes them as one batch
    await journal.close()


async def test_a_note_with_nul_loses_no_event_of_its_batch(store: Store) -> None:
    """A NUL in an observer's note (past the socket's validation) once made PostgreSQL refuse the whole batch."""
    interview_id = await store.create_interview(SETUP, "digest")
    bus = InProcessBus()
    events = batch_around(m.NoteAdded(text="strong\x00answer", request_id="r\x001", by="Bo\x00"))
    async with bus.subscribe(events_channel(interview_id)) as subscription:
        await record_batch(EventJournal(store, bus, interview_id), events)
        published = json.loads(await asyncio.wait_for(subscription.get(), 5))  # type: ignore[arg-type]

    stored = await store.get_events(interview_id)
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert [e.kind for e in stored] == [e.type for e in events]  # type: ignore[attr-defined]
    note = stored[2].payload
    assert (note["text"], note["request_id"], note["by"]) == ("stronganswer", "r1", "Bo")
    assert [e["seq"] for e in published["events"]] == [1, 2, 3, 4, 5]


async def test_an_event_that_cannot_be_stored_is_left_out_and_the_numbers_stay_gapless(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    interview_id = await store.create_interview(SETUP, "digest")
    await store.append_events(
        interview_id, [StoredEvent(1, "state", datetime.now(UTC), {"type": "state", "state": "thinking"})]
    )
    events = batch_around(m.NoteAdded(text=POISON))
    with caplog.at_level(logging.ERROR, logger="viva.observers"):
        await record_batch(EventJournal(RefusingStore(store), InProcessBus(), interview_id), events)  # type: ignore[arg-type]

    stored = await store.get_events(interview_id)
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]  # 1 was there; the poisoned note took no number
    assert [e.kind for e in stored[1:]] == ["candidate_connection", "state", "final_transcript", "state"]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert "live event 4 (note)" in errors[0].getMessage() and "left out" in errors[0].getMessage()


async def test_events_recorded_while_postgres_is_away_are_stored_when_it_is_back() -> None:
    async with postgres_behind_proxy() as (proxy, url, schema):
        store = create_store(Settings(database_url=url, database_schema=schema))
        await store.open()
        try:
            interview_id = await store.create_interview(SETUP, "digest")
            journal = EventJournal(store, InProcessBus(), interview_id, retry_s=30)
            await proxy.cut_off()
            for event in batch_around(m.NoteAdded(text="noted while the database was away")):
                journal.record(event)
            await asyncio.sleep(1.5)  # the writer fails and retries meanwhile
            assert proxy.cut
            await proxy.restore()
            await asyncio.wait_for(journal.close(), 30)
            assert [e.seq for e in await store.get_events(interview_id)] == [1, 2, 3, 4, 5]
        finally:
            await store.close()
