"""Riding out a database outage: a store call retried while the store is unavailable, for a bounded time.

A database restart or a failover takes seconds; a live interview should not lose an answer to it, nor make
the candidate say it again. :func:`retry_unavailable` runs the call again after 0.5 s, 1 s, 2 s, 4 s, then
every 5 s, until ``within_s`` have passed since the first failure; then the last
:class:`~server.store.base.StoreUnavailable` is raised for the caller to give up cleanly. Any other error is
raised at once: only unavailability is worth waiting for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from server.store.base import StoreUnavailable

T = TypeVar("T")

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 5.0

OnUnavailable = Callable[[StoreUnavailable, int], Awaitable[None]]


def delays(first_s: float = FIRST_DELAY_S, max_s: float = MAX_DELAY_S) -> Iterator[float]:
    """The waits between attempts: doubling from ``first_s`` up to ``max_s``, then ``max_s`` for ever."""
    delay = first_s
    while True:
        yield delay
        delay = min(delay * 2, max_s)


async def retry_unavailable(
    call: Callable[[], Awaitable[T]], *, within_s: float, on_unavailable: OnUnavailable | None = None
) -> T:
    """``call()``'s result, retrying while it raises :class:`StoreUnavailable` for at most ``within_s`` seconds.

    ``on_unavailable(error, attempt)`` is awaited after each failed attempt (attempt 1 is the first), before the
    wait: the place to tell someone once, or to log.
    """
    deadline: float | None = None
    waits = delays()
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except StoreUnavailable as exc:
            now = time.monotonic()
            deadline = deadline if deadline is not None else now + within_s
            if on_unavailable is not None:
                await on_unavailable(exc, attempt)
            wait = next(waits)
            if now + wait > deadline:
                raise
            await asyncio.sleep(wait)
