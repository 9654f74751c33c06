"""Publish/subscribe between the sessions and observers of one interview, inside one process or across nodes.

:func:`create_bus` picks :class:`~server.bus.memory.InProcessBus` (one node, the default) or
:class:`~server.bus.redis.RedisBus` (``VIVA_REDIS_URL``: every node sharing one Redis).
"""

from __future__ import annotations

from server.bus.base import BusStatus, BusUnavailable, EventBus, Subscription
from server.bus.memory import InProcessBus
from server.config import Settings

__all__ = ["BusStatus", "BusUnavailable", "EventBus", "InProcessBus", "Subscription", "create_bus"]


def create_bus(settings: Settings) -> EventBus:
    """An unstarted bus; :meth:`EventBus.start` connects it (and never fails because Redis is down)."""
    if settings.redis_url is not None:
        from server.bus.redis import RedisBus

        return RedisBus(settings.redis_url.get_secret_value())
    return InProcessBus()
