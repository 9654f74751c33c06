"""The session's event log: every event numbered, stored, then published, in order, off the session's path.

The node holding the candidate's session is the only writer of its interview's events, so it numbers them
(1, 2, 3...). Storing comes before publishing: an observer that sees event *n* live can find every event
before *n* in the store. That is what lets a late observer subscribe first, read the history, and then take
live events above the history's last number, with neither gap nor duplicate.

:meth:`EventJournal.record` never waits: the candidate's conversation is never slowed by observers, the
database or Redis. A writer task takes whatever has queued up, stores it in one transaction, and publishes
it as one message. If Redis is down the events are still stored (observers read them from there) and are
published with the next batch once Redis is back.

One bad event never costs the others. When a batch cannot be stored, its events are stored one by one: each one
that still fails is logged (with the number it would have had) and left out, and the next event takes that
number, so the numbers observers see stay gapless. While the database is unreachable the batch is retried for
as long as a turn is (``VIVA_STORE_RETRY_S``), and events recorded meanwhile wait in the queue; past that they
are dropped, with an error in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from pydantic import BaseModel

from protocol import messages as m
from server.bus import BusUnavailable, EventBus
from server.observers.wire import EventBatch, events_channel
from server.store.base import EventConflict, Store, StoredEvent, StoreUnavailable
from server.store.retry import retry_unavailable

log = logging.getLogger("viva.observers")

#: Events kept for publishing while the bus is down; older ones are left to the store.
UNPUBLISHED_LIMIT = 500
#: Attempts to store a batch when its numbers are taken. Each conflict means another session of the interview
#: (superseded, about to close) stored events meanwhile, so retrying makes progress; the bound is a safety net.
STORE_ATTEMPTS = 50


class EventJournal:
    """One per live session. Create it, :meth:`record` events, and :meth:`close` it to flush."""

    def __init__(self, store: Store, bus: EventBus, interview_id: str, retry_s: float = 30.0) -> None:
        self.store = store
        self.bus = bus
        self.interview_id = interview_id
        self.retry_s = retry_s
        self._queue: asyncio.Queue[tuple[datetime, BaseModel] | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._next_seq: int | None = None
        self._unpublished: list[m.ObserverEvent] = []
        self._closed = False

    def record(self, event: BaseModel) -> None:
        """Queue an event (a :data:`protocol.messages.LiveEvent`) for observers; returns at once."""
        if self._closed:
            return
        self._queue.put_nowait((datetime.now(UTC), event))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all())

    def observe(self, message: BaseModel) -> None:
        """Record a message sent to the candidate, if observers see that kind."""
        if isinstance(message, m.OBSERVED_SERVER_TYPES):
            self.record(message)

    async def close(self) -> None:
        """Store and publish what is queued, then stop."""
        self._closed = True
        if self._writer is not None:
            self._queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await self._writer

    async def _write_all(self) -> None:
        while True:
            batch: list[tuple[datetime, BaseModel]] = []
            item = await self._queue.get()
            stop = item is None
            if item is not None:
                batch.append(item)
            while not self._queue.empty():
                item = self._queue.get_nowait()
                if item is None:
                    stop = True
                else:
                    batch.append(item)
            if batch:
                try:
                    await self._write(batch)
                except Exception:  # a bug in publishing: the writer goes on with the next batch
                    log.exception("%d live events of %s could not be published", len(batch), self.interview_id)
            if stop:
                return

    async def _write(self, batch: list[tuple[datetime, BaseModel]]) -> None:
        try:
            events = await self._store_durably(batch)
        except StoreUnavailable:
            log.error(
                "%d live events of %s were dropped: the database stayed unreachable", len(batch), self.interview_id
            )
            return
        except EventConflict:
            log.error("%d live events of %s were not stored: their numbers stayed taken", len(batch), self.interview_id)
            return
        except Exception:
            if len(batch) == 1:
                self._left_out(batch[0][1])
                return
            events = await self._write_one_by_one(batch)
        if events:
            await self._publish(events)

    async def _write_one_by_one(self, batch: list[tuple[datetime, BaseModel]]) -> list[m.ObserverEvent]:
        """Store what can be stored of a batch that failed as a whole; the rest is logged and left out."""
        events: list[m.ObserverEvent] = []
        for position, item in enumerate(batch):
            try:
                events += await self._store_durably([item])
            except (StoreUnavailable, EventConflict) as exc:
                log.error("%d live events of %s were dropped: %s", len(batch) - position, self.interview_id, exc)
                break
            except Exception:
                self._left_out(item[1])
        return events

    def _left_out(self, event: BaseModel) -> None:
        log.error(
            "live event %s (%s) of %s could not be stored and was left out; the next event takes its number",
            self._next_seq,
            getattr(event, "type", "unknown"),
            self.interview_id,
            exc_info=True,
        )

    async def _store_durably(self, batch: list[tuple[datetime, BaseModel]]) -> list[m.ObserverEvent]:
        async def unavailable(exc: StoreUnavailable, attempt: int) -> None:
            if attempt == 1:
                log.warning("live events of %s wait for the database: %s", self.interview_id, exc)

        return await retry_unavailable(lambda: self._store(batch), within_s=self.retry_s, on_unavailable=unavailable)

    async def _store(self, batch: list[tuple[datetime, BaseModel]]) -> list[m.ObserverEvent]:
        """Number the batch after the last stored event and store it in one transaction; the numbered events."""
        for _ in range(STORE_ATTEMPTS):
            if self._next_seq is None:
                self._next_seq = await self.store.last_event_seq(self.interview_id) + 1
            stored = [
                StoredEvent(
                    seq=self._next_seq + i,
                    kind=str(getattr(event, "type", "unknown")),
                    at=at,
                    payload=event.model_dump(mode="json"),
                )
                for i, (at, event) in enumerate(batch)
            ]
            # Built before storing, so that nothing is stored that could not then be sent.
            numbered = [
                m.ObserverEvent(seq=s.seq, at=s.at.isoformat(), event=event)  # type: ignore[arg-type]
                for s, (_, event) in zip(stored, batch, strict=True)
            ]
            try:
                await self.store.append_events(self.interview_id, stored)
            except EventConflict:
                self._next_seq = None  # another writer got there first: continue after its events
                continue
            self._next_seq += len(stored)
            return numbered
        raise EventConflict(f"event numbers of {self.interview_id} stayed taken after {STORE_ATTEMPTS} attempts")

    async def _publish(self, events: list[m.ObserverEvent]) -> None:
        pending = [*self._unpublished, *events]
        try:
            await self.bus.publish(events_channel(self.interview_id), EventBatch(events=pending).model_dump_json())
        except BusUnavailable:
            self._unpublished = pending[-UNPUBLISHED_LIMIT:]
            return
        self._unpublished = []
