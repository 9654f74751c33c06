"""A live session's writes, carried through a database outage without losing what the candidate said.

When the store is unreachable the candidate is told once (``error`` ``store_unavailable``, not fatal) and the
write is retried with a bounded backoff (:func:`server.store.retry.retry_unavailable`) for
``VIVA_STORE_RETRY_S``; the answer is saved as soon as the database is back, without being given again. If it
never comes back, a fatal ``store_unavailable`` follows and :class:`~server.store.base.StoreUnavailable` is
raised; the session then closes with 1013 (:data:`STORE_UNAVAILABLE_CLOSE`). The answer was never acknowledged
(``final_transcript`` is sent only once it is saved), so nothing the candidate was told is saved is lost, and a
reconnect asks the question again.

The session calls these instead of the store for its writes (:func:`retrying` for the scores saved beside
the conversation, which the candidate is not told about); the functions know nothing of the session but how
to send it a message, so they move with whatever shell calls them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from protocol import messages as m
from server.services.runtime import Services
from server.store.base import StoredTurn, StoreUnavailable, TurnConflict
from server.store.retry import retry_unavailable

log = logging.getLogger("viva.session")

T = TypeVar("T")
Send = Callable[[BaseModel], Awaitable[None]]

RETRYING_MESSAGE = "We could not save {what}; trying again…"
GAVE_UP_MESSAGE = (
    "We could not save {what}: the database is unreachable. Everything you were shown as saved is kept; "
    "reconnect in a minute and you will be asked this question again."
)
#: How a session closes when the database stayed unreachable.
STORE_UNAVAILABLE_CLOSE = (m.CloseCode.TRY_AGAIN_LATER, "the database is unreachable; reconnect in a minute")


async def durably(services: Services, write: Callable[[], Awaitable[T]], send: Send, *, what: str = "your answer") -> T:
    """``write()``, retried while the store is unavailable; the candidate hears of it through ``send``, told that
    ``what`` could not be saved yet."""

    async def unavailable(exc: StoreUnavailable, attempt: int) -> None:
        if attempt == 1:
            log.warning("the database is unavailable; retrying the save: %s", exc)
            retrying = RETRYING_MESSAGE.format(what=what)
            await send(m.ErrorMessage(code=m.ErrorCode.STORE_UNAVAILABLE, message=retrying))

    try:
        return await retry_unavailable(write, within_s=services.settings.store_retry_s, on_unavailable=unavailable)
    except StoreUnavailable:
        log.error("the database stayed unavailable for %g s; the session closes", services.settings.store_retry_s)
        gave_up = GAVE_UP_MESSAGE.format(what=what)
        await send(m.ErrorMessage(code=m.ErrorCode.STORE_UNAVAILABLE, message=gave_up, fatal=True))
        raise


async def retrying(services: Services, write: Callable[[], Awaitable[T]]) -> T:
    """``write()``, retried while the store is unavailable, quietly: for what the candidate does not wait on
    (a score saved beside the conversation)."""

    async def unavailable(exc: StoreUnavailable, attempt: int) -> None:
        if attempt == 1:
            log.warning("the database is unavailable; retrying a background save: %s", exc)

    return await retry_unavailable(write, within_s=services.settings.store_retry_s, on_unavailable=unavailable)


async def save_turn(
    services: Services, interview_id: str, turn: StoredTurn, interviewer_state: dict[str, Any], send: Send
) -> None:
    """Record the turn with :meth:`Store.append_turn`, durably (:func:`durably`).

    A connection lost during the commit leaves it unknown whether the commit happened; when it did, the retry
    finds the turn taken. That turn, if it is this very answer, counts as saved rather than as a conflict.
    """
    retried = False

    async def write() -> None:
        nonlocal retried
        try:
            await services.store.append_turn(interview_id, turn, interviewer_state)
        except StoreUnavailable:
            retried = True
            raise

    try:
        await durably(services, write, send)
    except TurnConflict:
        if not retried or not await _is_saved(services, interview_id, turn):
            raise


async def _is_saved(services: Services, interview_id: str, turn: StoredTurn) -> bool:
    record = await services.store.get_interview(interview_id)
    if record is None or turn.index >= len(record.turns):
        return False
    saved = record.turns[turn.index]
    return saved.answer == turn.answer and saved.answered_at == turn.answered_at
