"""The in-process bus: one node, no server. Subscribers are queues in this process, always up."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from server.bus.base import SUBSCRIBER_BACKLOG, BusStatus

log = logging.getLogger("viva.bus")


class InProcessSubscription:
    def __init__(self, bus: InProcessBus, channel: str) -> None:
        self.bus = bus
        self.channel = channel
        self.queue: asyncio.Queue[str] = asyncio.Queue(SUBSCRIBER_BACKLOG)

    async def __aenter__(self) -> InProcessSubscription:
        self.bus.subscribers.setdefault(self.channel, set()).add(self)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        subscribers = self.bus.subscribers.get(self.channel)
        if subscribers is not None:
            subscribers.discard(self)
            if not subscribers:
                del self.bus.subscribers[self.channel]

    async def get(self) -> str | BusStatus:
        return await self.queue.get()

    def deliver(self, message: str) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            log.warning("a subscriber of %s is %d messages behind: dropped one", self.channel, SUBSCRIBER_BACKLOG)


class InProcessBus:
    name = "in_process"

    def __init__(self) -> None:
        self.subscribers: dict[str, set[InProcessSubscription]] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self.subscribers.clear()

    @property
    def healthy(self) -> bool:
        return True

    async def publish(self, channel: str, message: str) -> int:
        subscribers = list(self.subscribers.get(channel, ()))
        for subscriber in subscribers:
            subscriber.deliver(message)
        return len(subscribers)

    def subscribe(self, channel: str) -> InProcessSubscription:
        return InProcessSubscription(self, channel)
