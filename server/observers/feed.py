"""One observer's view of one interview: the history, then the live events, gapless and without duplicates.

The order of operations is what makes it exact. The feed subscribes to the interview's events *first*, then
reads the history from the store, then passes on live events numbered above the last one it sent. The
session stores every event before publishing it, so:

- an event published before the subscription was stored before the history was read: it is in the history;
- an event published after it reaches the subscription: it is live (and dropped if the history had it);
- an event arriving with a number more than one above the last sent means some were missed (the bus was
  down, or this subscriber fell behind): they are in the store, and are read from there first.

While the bus is down the observer is told the view is degraded, and the store is read every
:data:`DEGRADED_POLL_S` instead; when the bus is back the feed catches up from the store and says so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from pydantic import BaseModel, ValidationError

from protocol import messages as m
from server.bus import BusStatus, EventBus
from server.observers.wire import CommandRefused, EventBatch, LinkRevoked, events_channel, events_message
from server.store.base import Store, StoredEvent

log = logging.getLogger("viva.observers")

#: How often a degraded feed reads new events from the store.
DEGRADED_POLL_S = 1.0
#: Events per history message and per read from the store.
CHUNK = 500

DEGRADED_MESSAGE = "The live link between servers is down: events are read from the database, a little late."
RECOVERED_MESSAGE = "The live link is back."

Send = Callable[[BaseModel], Awaitable[None]]


def as_observer_event(stored: StoredEvent) -> m.ObserverEvent:
    return m.ObserverEvent(seq=stored.seq, at=stored.at.isoformat(), event=m.parse_live_event(stored.payload))


class LinkWasRevoked(Exception):
    """The observer link was revoked while this feed was open."""


class ObserverFeed:
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        interview_id: str,
        send: Send,
        on_refused: Callable[[CommandRefused], Awaitable[None]],
        *,
        holds_observer_link: bool = True,
    ) -> None:
        """``holds_observer_link``: the watcher came in with the observer link (not the admin token or a
        recruiter's session), so revoking that link ends this feed."""
        self.store = store
        self.holds_observer_link = holds_observer_link
        self.bus = bus
        self.interview_id = interview_id
        self.send = send
        self.on_refused = on_refused
        self.last_seq = 0
        self.degraded = False

    async def run(self, after_seq: int, ready: Callable[[m.LiveStatus], Awaitable[None]]) -> None:
        """Send ``ready``'s message, the history after ``after_seq``, then live events until cancelled.

        Raises :class:`LinkWasRevoked` when the observer link is revoked.
        """
        self.last_seq = after_seq
        async with self.bus.subscribe(events_channel(self.interview_id)) as subscription:
            await ready(m.LiveStatus.LIVE if self.bus.healthy else m.LiveStatus.DEGRADED)
            await self._send_history()
            while True:
                try:
                    item = await asyncio.wait_for(subscription.get(), DEGRADED_POLL_S if self.degraded else None)
                except TimeoutError:
                    await self._catch_up()
                    continue
                if item is BusStatus.DOWN:
                    await self._set_degraded(True)
                elif item is BusStatus.UP:
                    await self._catch_up()
                    await self._set_degraded(False)
                elif isinstance(item, str):
                    await self._on_message(item)

    async def _send_history(self) -> None:
        while True:
            chunk = await self.store.get_events(self.interview_id, after_seq=self.last_seq, limit=CHUNK)
            complete = len(chunk) < CHUNK
            if chunk:
                self.last_seq = chunk[-1].seq
            events = [as_observer_event(e) for e in chunk]
            await self.send(m.History(events=events, last_seq=self.last_seq, complete=complete))
            if complete:
                return

    async def _catch_up(self) -> None:
        """Send, as live events, whatever the store has above the last event sent."""
        while True:
            chunk = await self.store.get_events(self.interview_id, after_seq=self.last_seq, limit=CHUNK)
            for stored in chunk:
                await self._deliver(as_observer_event(stored))
            if len(chunk) < CHUNK:
                return

    async def _set_degraded(self, degraded: bool) -> None:
        if degraded != self.degraded:
            self.degraded = degraded
            status, message = (
                (m.LiveStatus.DEGRADED, DEGRADED_MESSAGE) if degraded else (m.LiveStatus.LIVE, RECOVERED_MESSAGE)
            )
            await self.send(m.LiveStatusChanged(status=status, message=message))

    async def _on_message(self, raw: str) -> None:
        try:
            message = events_message.validate_json(raw)
        except ValidationError as exc:
            log.warning("ignored an unreadable live message for %s: %s", self.interview_id, exc)
            return
        if isinstance(message, EventBatch):
            for event in message.events:
                if event.seq > self.last_seq + 1:
                    await self._catch_up()  # missed some: they were stored before this one was published
                await self._deliver(event)
        elif isinstance(message, CommandRefused):
            await self.on_refused(message)
        elif isinstance(message, LinkRevoked) and message.link == "observer" and self.holds_observer_link:
            raise LinkWasRevoked

    async def _deliver(self, event: m.ObserverEvent) -> None:
        if event.seq <= self.last_seq:
            return  # already sent, from the history or the store
        await self.send(event)
        self.last_seq = event.seq
