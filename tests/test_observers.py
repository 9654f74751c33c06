"""The observers' machinery in one process: the session's journal numbers, stores and publishes events; a feed
gives history then live events without gap or duplicate, even when the bus loses messages or goes down."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from protocol import messages as m
from server.bus import BusStatus, BusUnavailable, InProcessBus
from server.config import Settings
from server.conversation.setup import InterviewSetup
from server.observers.feed import ObserverFeed
from server.observers.journal import EventJournal
from server.observers.wire import CommandRefused, events_channel
from server.store import create_store
from server.store.base import Store
from server.store.tokens import hash_token

SETUP = InterviewSetup(candidate_name="Ada", job_title="Engineer", num_questions=2)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = create_store(Settings(data_dir=tmp_path / "data"))
    await store.open()
    yield store
    await store.close()


class LossyBus(InProcessBus):
    """Loses chosen publishes (as Redis does while down) and can tell subscribers it went down or came back."""

    def __init__(self) -> None:
        super().__init__()
        self.drop = False
        self.published = 0
        self.dropped = 0
        self._counted = asyncio.Condition()

    async def publish(self, channel: str, message: str) -> int:
        async with self._counted:
            self.published += 1
            self._counted.notify_all()
        if self.drop:
            self.dropped += 1
            return 0
        return await super().publish(channel, message)

    async def wait_published(self, count: int, timeout: float = 10) -> None:
        """Until ``count`` publishes have been made (delivered or dropped)."""
        async with self._counted:
            await asyncio.wait_for(self._counted.wait_for(lambda: self.published >= count), timeout)

    def announce(self, status: BusStatus) -> None:
        for subscribers in self.subscribers.values():
            for subscriber in subscribers:
                subscriber.queue.put_nowait(status)  # type: ignore[arg-type]


class Watcher:
    """An observer's side of a feed: what it was sent, in order."""

    def __init__(self, store: Store, bus: InProcessBus, interview_id: str, after_seq: int = 0) -> None:
        self.sent: list[BaseModel] = []
        self.changed = asyncio.Event()
        self.feed = ObserverFeed(store, bus, interview_id, self._send, self._refused)
        self.task = asyncio.create_task(self.feed.run(after_seq, self._ready))

    async def _send(self, message: BaseModel) -> None:
        self.sent.append(message)
        self.changed.set()

    async def _ready(self, live: m.LiveStatus) -> None:
        await self._send(
            m.ObserverReady(
                interview_id="x",
                candidate_name="",
                job_title="",
                interview_type="mixed",
                num_questions=1,
                status="in_progress",
                live=live,
            )
        )

    async def _refused(self, refused: CommandRefused) -> None:
        await self._send(m.SteeringRefused(request_id=refused.request_id, code=refused.code, message=refused.message))

    def events(self) -> list[m.ObserverEvent]:
        """History and live events as the observer would apply them."""
        events: list[m.ObserverEvent] = []
        for message in self.sent:
            if isinstance(message, m.History):
                events += message.events
            elif isinstance(message, m.ObserverEvent):
                events.append(message)
        return events

    def messages(self, kind: type[BaseModel]) -> list[Any]:
        return [message for message in self.sent if isinstance(message, kind)]

    async def wait_for_message(self, kind: type[BaseModel], timeout: float = 10) -> None:
        async def sent() -> None:
            while not self.messages(kind):
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(sent(), timeout)

    async def wait_for_seq(self, seq: int, timeout: float = 10) -> None:
        async def reached() -> None:
            while not self.events() or self.events()[-1].seq < seq:
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(reached(), timeout)

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def until_stored(store: Store, interview_id: str, count: int, timeout: float = 10) -> None:
    """Until ``count`` events of the interview are in the store (a state waited for, not a guessed delay)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(await store.get_events(interview_id)) < count:
        assert asyncio.get_running_loop().time() < deadline, f"fewer than {count} events were stored"
        await asyncio.sleep(0.005)


def caption(i: int) -> m.PartialTranscript:
    return m.PartialTranscript(turn=0, text=f"caption {i}")


def texts(events: list[m.ObserverEvent]) -> list[str]:
    return [e.event.text for e in events if isinstance(e.event, m.PartialTranscript)]


async def interview(store: Store) -> str:
    return await store.create_interview(SETUP, hash_token("c"), hash_token("o"))


async def test_observers_joining_at_any_moment_see_every_event_once_in_order(store: Store) -> None:
    interview_id = await interview(store)
    bus = InProcessBus()
    journal = EventJournal(store, bus, interview_id)
    watchers: list[Watcher] = []
    for i in range(300):
        journal.record(caption(i))
        if i % 25 == 0:
            watchers.append(Watcher(store, bus, interview_id))  # joins while events are being written
            await asyncio.sleep(0)
        if i % 7 == 0:
            await asyncio.sleep(0.001)
    await journal.close()
    for watcher in watchers:
        await watcher.wait_for_seq(300)
        events = watcher.events()
        assert [e.seq for e in events] == list(range(1, 301))
        assert texts(events) == [f"caption {i}" for i in range(300)]
        await watcher.stop()
    stored = await store.get_events(interview_id)
    assert [e.seq for e in stored] == list(range(1, 301))


async def test_a_reconnecting_observer_gets_only_what_came_after_its_last_event(store: Store) -> None:
    interview_id = await interview(store)
    bus = InProcessBus()
    journal = EventJournal(store, bus, interview_id)
    for i in range(10):
        journal.record(caption(i))
    await journal.close()
    watcher = Watcher(store, bus, interview_id, after_seq=7)
    await watcher.wait_for_seq(10)
    assert [e.seq for e in watcher.events()] == [8, 9, 10]
    history = next(message for message in watcher.sent if isinstance(message, m.History))
    assert history.last_seq == 10 and history.complete
    await watcher.stop()


async def test_events_lost_by_the_bus_are_read_from_the_store(store: Store) -> None:
    interview_id = await interview(store)
    bus = LossyBus()
    watcher = Watcher(store, bus, interview_id)
    await watcher.wait_for_message(m.History)  # subscribed, and the (empty) history sent: all else is live
    journal = EventJournal(store, bus, interview_id)
    for i in range(20):
        bus.drop = 5 <= i < 15  # these are stored but never published
        journal.record(caption(i))
        await bus.wait_published(i + 1)  # one event per publish, so exactly these ten are lost
    await journal.close()
    await watcher.wait_for_seq(20)
    assert bus.dropped == 10
    history = watcher.messages(m.History)
    assert len(history) == 1 and history[0].events == [], "the events came live or from the store, not as history"
    assert [e.seq for e in watcher.events()] == list(range(1, 21))
    assert texts(watcher.events()) == [f"caption {i}" for i in range(20)]
    await watcher.stop()


async def test_while_the_bus_is_down_the_feed_is_degraded_and_reads_the_store(store: Store) -> None:
    interview_id = await interview(store)
    bus = LossyBus()
    watcher = Watcher(store, bus, interview_id)
    journal = EventJournal(store, bus, interview_id)
    journal.record(caption(0))
    await watcher.wait_for_seq(1)

    bus.drop = True
    bus.announce(BusStatus.DOWN)
    journal.record(caption(1))
    journal.record(caption(2))
    await watcher.wait_for_seq(3, timeout=5)  # polled from the store
    statuses = [s for s in watcher.sent if isinstance(s, m.LiveStatusChanged)]
    assert [s.status for s in statuses] == [m.LiveStatus.DEGRADED]

    bus.drop = False
    bus.announce(BusStatus.UP)
    journal.record(caption(3))
    await watcher.wait_for_seq(4)
    statuses = [s for s in watcher.sent if isinstance(s, m.LiveStatusChanged)]
    assert [s.status for s in statuses] == [m.LiveStatus.DEGRADED, m.LiveStatus.LIVE]
    assert texts(watcher.events()) == ["caption 0", "caption 1", "caption 2", "caption 3"]
    await journal.close()
    await watcher.stop()


async def test_events_unpublished_while_the_bus_was_down_are_published_with_the_next(store: Store) -> None:
    interview_id = await interview(store)
    bus = InProcessBus()
    journal = EventJournal(store, bus, interview_id)
    down = True
    refused = asyncio.Event()
    original = bus.publish

    async def publish(channel: str, message: str) -> int:
        if down:
            refused.set()
            raise BusUnavailable("down")
        return await original(channel, message)

    bus.publish = publish  # type: ignore[method-assign]
    async with bus.subscribe(events_channel(interview_id)) as subscription:
        journal.record(caption(0))
        journal.record(caption(1))
        await asyncio.wait_for(refused.wait(), 10)  # stored, then refused by the bus
        assert len(await store.get_events(interview_id)) == 2
        down = False
        journal.record(caption(2))
        await journal.close()
        raw = await asyncio.wait_for(subscription.get(), 5)
    assert isinstance(raw, str) and [e["seq"] for e in json.loads(raw)["events"]] == [1, 2, 3]


async def test_two_writers_of_one_interview_never_share_a_number(store: Store) -> None:
    """A session superseded on another node may still be writing for a moment: numbers stay unique."""
    interview_id = await interview(store)
    bus = InProcessBus()
    first, second = EventJournal(store, bus, interview_id), EventJournal(store, bus, interview_id)
    first.record(caption(0))
    await until_stored(store, interview_id, 1)  # the first writer now counts on number 2 being its next
    second.record(caption(1))
    await until_stored(store, interview_id, 2)  # ...but the second took it
    first.record(caption(2))  # so the first's number 2 conflicts, and it must move past the second's event
    await until_stored(store, interview_id, 3)
    for i in range(3, 40):  # and interleaved, as they come
        (first if i % 2 else second).record(caption(i))
    await asyncio.gather(first.close(), second.close())
    stored = await store.get_events(interview_id)
    assert [e.seq for e in stored] == list(range(1, 41))
    assert [e.payload["text"] for e in stored[:3]] == ["caption 0", "caption 1", "caption 2"]
    assert sorted(e.payload["text"] for e in stored) == sorted(f"caption {i}" for i in range(40))


async def test_only_observed_messages_are_recorded(store: Store) -> None:
    interview_id = await interview(store)
    journal = EventJournal(store, InProcessBus(), interview_id)
    journal.observe(m.ErrorMessage(code=m.ErrorCode.OUT_OF_ORDER, message="candidate's mistake"))
    journal.observe(m.StateChanged(state=m.SessionState.LISTENING))
    await journal.close()
    journal.record(caption(99))  # after close: ignored
    assert [e.kind for e in await store.get_events(interview_id)] == ["state"]
