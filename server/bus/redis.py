"""The Redis bus: pub/sub through one Redis that every node shares (``VIVA_REDIS_URL``).

Each subscription has its own pub/sub connection and a reader task that re-subscribes, with a pause between
tries, for as long as Redis is away. While it is away the subscriber is told so (``BusStatus.DOWN``), and
told again when it is back (``BusStatus.UP``); what was published meanwhile is lost to it, which observers
make good from the store. Publishing fails fast with :class:`BusUnavailable`, so a candidate's session never
waits on Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from server.bus.base import SUBSCRIBER_BACKLOG, BusStatus, BusUnavailable

log = logging.getLogger("viva.bus")

#: Pause between attempts to reach Redis again.
RECONNECT_S = 0.5
#: Connecting, and any one command, give up after this long.
SOCKET_TIMEOUT_S = 2.0
#: An idle subscription pings Redis this often, so a silently dropped connection is noticed.
HEALTH_CHECK_S = 5
#: How long a subscriber waits in one read before checking the connection's health again.
READ_POLL_S = 1.0

_FAILURES = (RedisError, OSError, asyncio.TimeoutError)


class RedisSubscription:
    def __init__(self, bus: RedisBus, channel: str) -> None:
        self.bus = bus
        self.channel = channel
        self.queue: asyncio.Queue[str | BusStatus] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        self._settled = asyncio.Event()  # subscribed, or found Redis down, for the first time
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RedisSubscription:
        self._reader = asyncio.create_task(self._read())
        await self._settled.wait()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def get(self) -> str | BusStatus:
        return await self.queue.get()

    def _put(self, item: str | BusStatus) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            log.warning("a subscriber of %s is %d messages behind: dropped one", self.channel, SUBSCRIBER_BACKLOG)

    async def _read(self) -> None:
        down = False
        while True:
            pubsub = self.bus.client.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                while True:
                    message = await pubsub.get_message(timeout=READ_POLL_S)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        # Redis confirmed: from here on every publish to the channel reaches this subscriber.
                        if down:
                            down = False
                            self.bus.mark(healthy=True)
                            self._put(BusStatus.UP)
                        self._settled.set()
                    elif message["type"] == "message":
                        data = message["data"]
                        self._put(data.decode() if isinstance(data, bytes) else str(data))
            except _FAILURES as exc:
                if not down:
                    down = True
                    self.bus.mark(healthy=False, reason=exc)
                    self._put(BusStatus.DOWN)
                self._settled.set()
            finally:
                with contextlib.suppress(*_FAILURES):
                    await pubsub.aclose()
            await asyncio.sleep(RECONNECT_S)


class RedisBus:
    name = "redis"

    def __init__(self, url: str) -> None:
        self.client = redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            health_check_interval=HEALTH_CHECK_S,
            retry=Retry(NoBackoff(), 1),  # once: a pooled connection may be stale after an outage
        )
        self._healthy: bool | None = None  # unknown until the first attempt

    async def start(self) -> None:
        try:
            await self.client.ping()
            self.mark(healthy=True)
        except _FAILURES as exc:
            self.mark(healthy=False, reason=exc)

    async def close(self) -> None:
        with contextlib.suppress(*_FAILURES):
            await self.client.aclose()

    @property
    def healthy(self) -> bool:
        return self._healthy is True

    def mark(self, *, healthy: bool, reason: BaseException | None = None) -> None:
        if healthy and self._healthy is not True:
            log.info("Redis is reachable: live events flow between nodes")
        elif not healthy and self._healthy is not False:
            log.warning("Redis is unreachable (%r): interviews go on, observers read events from the store", reason)
        self._healthy = healthy

    async def publish(self, channel: str, message: str) -> int:
        try:
            receivers = int(await self.client.publish(channel, message))
        except _FAILURES as exc:
            self.mark(healthy=False, reason=exc)
            raise BusUnavailable(f"Redis is unreachable: {exc}") from exc
        self.mark(healthy=True)
        return receivers

    def subscribe(self, channel: str) -> RedisSubscription:
        return RedisSubscription(self, channel)
