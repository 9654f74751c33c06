"""Writes of a live session the candidate does not wait on (a score saved beside the conversation), carried
quietly through a database outage. The answers themselves are retried by the core
(:mod:`server.live.core.session`), which tells the candidate and closes with 1013 if the database never returns.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from server.services.runtime import Services
from server.store.base import StoreUnavailable
from server.store.retry import retry_unavailable

log = logging.getLogger("viva.session")

T = TypeVar("T")


async def retrying(services: Services, write: Callable[[], Awaitable[T]]) -> T:
    """``write()``, retried while the store is unavailable (for ``VIVA_STORE_RETRY_S``), quietly."""

    async def unavailable(exc: StoreUnavailable, attempt: int) -> None:
        if attempt == 1:
            log.warning("the database is unavailable; retrying a background save: %s", exc)

    return await retry_unavailable(write, within_s=services.settings.store_retry_s, on_unavailable=unavailable)
