"""A Python client of the observer socket, for integration tests: records every message and the events in order."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import websockets

from protocol import messages as m


def ws_base(base_url: str) -> str:
    return base_url.replace("http", "ws", 1)


@dataclass
class ObserverClient:
    received: list[Any] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    close_reason: str = ""
    _ws: Any = None
    _reader: asyncio.Task[None] | None = None
    _new: asyncio.Condition = field(default_factory=asyncio.Condition)

    @classmethod
    async def connect(
        cls,
        base_url: str,
        interview_id: str,
        token: str,
        *,
        after_seq: int = 0,
        name: str = "",
        observe: bool = True,
        sock: socket.socket | None = None,
    ) -> ObserverClient:
        """``sock``: a connection already open to a chosen worker process."""
        client = cls()
        url = f"{ws_base(base_url)}/ws/observe/{interview_id}?token={token}"
        client._ws = await websockets.connect(url, max_size=None, sock=sock)
        client._reader = asyncio.create_task(client._read())
        if observe:
            await client.send(m.Observe(after_seq=after_seq, name=name))
        return client

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                message = m.parse_observer_server_message(raw)
                async with self._new:
                    self.received.append(message)
                    self._new.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self._ws.close_code
            self.close_reason = self._ws.close_reason or ""
            async with self._new:
                self.closed.set()
                self._new.notify_all()

    async def send(self, message: m.Message) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._ws.send(m.encode(message))

    async def send_raw(self, data: str | bytes) -> None:
        await self._ws.send(data)

    def events(self) -> list[m.ObserverEvent]:
        """History and live events, in the order received."""
        events: list[m.ObserverEvent] = []
        for message in self.received:
            if isinstance(message, m.History):
                events += message.events
            elif isinstance(message, m.ObserverEvent):
                events.append(message)
        return events

    def payloads(self, kind: type | tuple[type, ...] = object) -> list[Any]:
        return [e.event for e in self.events() if isinstance(e.event, kind)]

    def messages(self, kind: type | tuple[type, ...]) -> list[Any]:
        return [message for message in self.received if isinstance(message, kind)]

    async def wait_for(self, predicate: Any, timeout: float) -> Any:
        """Wait until a received message (or event payload) satisfies ``predicate``; return it."""

        def found() -> Any:
            for message in self.received:
                candidates = [message]
                if isinstance(message, m.History):
                    candidates += [e.event for e in message.events]
                elif isinstance(message, m.ObserverEvent):
                    candidates.append(message.event)
                for candidate in candidates:
                    if predicate(candidate):
                        return candidate
            return None

        deadline = time.monotonic() + timeout
        async with self._new:
            try:
                await asyncio.wait_for(
                    self._new.wait_for(lambda: found() is not None or self.closed.is_set()),
                    max(0.0, deadline - time.monotonic()),
                )
            except TimeoutError:
                kinds = [getattr(e.event, "type", "?") for e in self.events()][-30:]
                raise AssertionError(f"timed out; last events: {kinds}; others: {self.received[-5:]}") from None
        result = found()
        if result is None:
            raise AssertionError(f"observer socket closed ({self.close_code} {self.close_reason}) first")
        return result

    async def wait_closed(self, timeout: float = 10) -> int | None:
        await asyncio.wait_for(self.closed.wait(), timeout)
        return self.close_code

    async def close(self) -> None:
        await self._ws.close()
        if self._reader:
            await self._reader


def assert_gapless(events: list[m.ObserverEvent], first: int = 1) -> None:
    seqs = [e.seq for e in events]
    assert seqs == list(range(first, first + len(seqs))), f"gap or duplicate in {seqs}"
