"""The event bus: in-process, and Redis (the shared server, and a private one that goes away and comes back)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.bus import BusStatus, BusUnavailable, EventBus, InProcessBus
from server.bus.redis import RedisBus
from tests.redis_support import RedisServer, require_redis


@pytest.fixture(params=["in_process", "redis"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[EventBus]:
    bus: EventBus = InProcessBus() if request.param == "in_process" else RedisBus(require_redis())
    await bus.start()
    yield bus
    await bus.close()


async def next_item(subscription, timeout: float = 5) -> str | BusStatus:  # type: ignore[no-untyped-def]
    return await asyncio.wait_for(subscription.get(), timeout)


async def test_every_subscriber_gets_every_message_in_order(bus: EventBus) -> None:
    channel = f"test:{uuid.uuid4()}"
    assert bus.healthy
    assert await bus.publish(channel, "before anyone listens") == 0
    async with bus.subscribe(channel) as first, bus.subscribe(channel) as second:
        messages = [f"message {i}" for i in range(50)]
        for message in messages:
            assert await bus.publish(channel, message) == 2
        assert [await next_item(first) for _ in messages] == messages
        assert [await next_item(second) for _ in messages] == messages
        await bus.publish(f"{channel}:other", "elsewhere")
    assert await bus.publish(channel, "after both left") == 0


async def test_a_redis_outage_is_reported_to_subscribers_and_publishers(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis").start()
    bus = RedisBus(server.url)
    await bus.start()
    try:
        async with bus.subscribe("outage") as subscription:
            assert await bus.publish("outage", "one") == 1
            assert await next_item(subscription) == "one"

            server.stop()
            assert await next_item(subscription) is BusStatus.DOWN
            with pytest.raises(BusUnavailable):
                await bus.publish("outage", "lost")
            assert not bus.healthy

            server.start()
            assert await next_item(subscription, timeout=15) is BusStatus.UP
            assert await bus.publish("outage", "two") == 1
            assert await next_item(subscription) == "two"
            assert bus.healthy
    finally:
        await bus.close()
        server.stop()


async def test_a_bus_starts_and_subscribes_while_redis_is_down(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis")  # not started yet
    bus = RedisBus(server.url)
    await bus.start()
    try:
        assert not bus.healthy
        async with bus.subscribe("later") as subscription:
            assert await next_item(subscription) is BusStatus.DOWN
            server.start()
            assert await next_item(subscription, timeout=15) is BusStatus.UP
            assert await bus.publish("later", "hello") == 1
            assert await next_item(subscription) == "hello"
    finally:
        await bus.close()
        server.stop()
