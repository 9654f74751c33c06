"""The bus interface: channels of text messages, delivered in publish order to every current subscriber.

Delivery is at most once: a subscriber gets what is published while it is subscribed and the bus is up,
nothing older, and nothing while the bus is down. Callers that must not miss anything (observers) keep a
durable copy elsewhere (the store's events) and use the bus only to hear of new things at once.
"""

from __future__ import annotations

from enum import StrEnum
from types import TracebackType
from typing import Protocol

#: Messages a subscriber may have waiting before newer ones are dropped (it then reads the store instead).
SUBSCRIBER_BACKLOG = 1000


class BusUnavailable(Exception):
    """The bus cannot publish now (Redis is unreachable); nothing was delivered."""


class BusStatus(StrEnum):
    """A change of the bus's health, seen by a subscriber between messages."""

    DOWN = "down"  # messages published from now on may never arrive
    UP = "up"  # subscribed again; messages published while down were lost


class Subscription(Protocol):
    """One subscriber of one channel. Enter it to subscribe: when ``__aenter__`` returns, every later publish
    reaches it (or, when the bus is down, :meth:`get` first returns :attr:`BusStatus.DOWN`)."""

    async def __aenter__(self) -> Subscription: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    async def get(self) -> str | BusStatus:
        """The next message, or a change of the bus's health."""
        ...


class EventBus(Protocol):
    name: str

    async def start(self) -> None:
        """Connect. A bus whose server is down still starts (and reports itself down) so interviews go on."""
        ...

    async def close(self) -> None: ...

    @property
    def healthy(self) -> bool:
        """Whether the last attempt to reach the bus's server worked."""
        ...

    async def publish(self, channel: str, message: str) -> int:
        """Send ``message`` to the channel's subscribers; returns how many there were (on every node).

        Raises :class:`BusUnavailable` when it cannot be sent.
        """
        ...

    def subscribe(self, channel: str) -> Subscription: ...
