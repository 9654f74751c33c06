"""The observer socket, ``/ws/observe/{interview_id}?token=``: watch one interview live and steer it.

The observer link's token, the admin token or a signed-in recruiter's session cookie opens it; the candidate's
link does not. After ``observe`` the
observer gets ``observer_ready``, the history and then live events (:class:`~server.observers.feed.ObserverFeed`).
Steering goes to whichever node holds the candidate's session; the credential is checked again before each
action, so a revoked or expired link (or an expired session) stops steering at once. Observers never send audio
or answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from pydantic import BaseModel
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from protocol import messages as m
from server.http.admission import Credential, admit_socket, check_observer, close_for, holds_observer_link
from server.live.core.session import STORE_UNAVAILABLE_CLOSE
from server.metrics import METRICS
from server.observers.feed import LinkWasRevoked, ObserverFeed
from server.observers.steering import send_steering
from server.observers.wire import CommandRefused
from server.services.limits import per_window
from server.services.links import LinkRefused
from server.services.runtime import Services
from server.store.base import InterviewRecord, StoreUnavailable

log = logging.getLogger("viva.observers")

#: How long a new observer socket may take to send ``observe``.
OBSERVE_TIMEOUT_S = 10.0

Close = tuple[int, str]


async def observer_socket(websocket: WebSocket) -> None:
    admitted = await admit_socket(websocket, "observer")
    if admitted is None:
        return
    services, record, credential = admitted
    await websocket.accept()
    watching: dict[str, int] = websocket.app.state.observer_counts
    limit = services.settings.max_observers_per_interview
    if watching.get(record.id, 0) >= limit:
        METRICS.refusals.labels(limit="observers").inc()
        reason = f"this interview already has {limit} observers on this server; try again when one leaves"
        await websocket.close(code=m.CloseCode.TRY_AGAIN_LATER, reason=reason)
        return
    watching[record.id] = watching.get(record.id, 0) + 1
    try:
        code, reason = await ObserverRoom(websocket, services, record, credential).run()
    except Exception:
        log.exception("an observer socket failed")
        code, reason = m.CloseCode.INTERNAL_ERROR, "internal error"
    finally:
        if (left := watching.pop(record.id, 1) - 1) > 0:
            watching[record.id] = left
    with contextlib.suppress(Exception):
        await websocket.close(code=code, reason=reason)


class ObserverRoom:
    """One observer's socket: the feed out, steering in."""

    def __init__(
        self, websocket: WebSocket, services: Services, record: InterviewRecord, credential: Credential
    ) -> None:
        self.websocket = websocket
        self.services = services
        self.record = record
        self.credential = credential
        self.name = ""
        self._send_lock = asyncio.Lock()
        self._commands: set[str] = set()
        self._steering_budget = per_window(services.settings.steering_per_10s, 10.0)

    async def send(self, message: BaseModel) -> None:
        """Send one message; raises :class:`WebSocketDisconnect` once the observer has gone, whichever of the
        feed and the steering loop noticed first (the other then gets the same, not a state error)."""
        async with self._send_lock:
            if self.websocket.application_state is WebSocketState.DISCONNECTED:
                raise WebSocketDisconnect(code=1006)
            await self.websocket.send_text(m.encode(message))

    async def run(self) -> Close:
        try:
            observe = await asyncio.wait_for(self._wait_observe(), OBSERVE_TIMEOUT_S)
        except TimeoutError:
            return m.CloseCode.HANDSHAKE_TIMEOUT, "no 'observe' message in time"
        except (WebSocketDisconnect, OSError):
            return m.CloseCode.GOING_AWAY, "connection closed"  # left while being answered
        if isinstance(observe, tuple):
            return observe
        self.name = observe.name
        feed = ObserverFeed(
            self.services.store,
            self.services.bus,
            self.record.id,
            self.send,
            self._on_refused,
            holds_observer_link=holds_observer_link(self.services, self.credential),
        )
        watching = asyncio.create_task(feed.run(observe.after_seq, self._ready))
        steering = asyncio.create_task(self._steer())
        await asyncio.wait({watching, steering}, return_when=asyncio.FIRST_COMPLETED)
        for task in (watching, steering):
            task.cancel()
        await asyncio.gather(watching, steering, return_exceptions=True)
        failure = _failure(watching) or _failure(steering)
        if isinstance(failure, LinkWasRevoked):
            return m.CloseCode.TOKEN_REVOKED, "the observer link was revoked"
        if isinstance(failure, WebSocketDisconnect | OSError):
            return m.CloseCode.GOING_AWAY, "connection closed"  # the observer left while being sent something
        if isinstance(failure, StoreUnavailable):
            log.warning("an observer was disconnected: %s", failure)
            return STORE_UNAVAILABLE_CLOSE
        if failure is not None:
            log.error("an observer feed failed", exc_info=failure)
            return m.CloseCode.INTERNAL_ERROR, "the live feed failed"
        if steering.done() and not steering.cancelled():
            if (error := steering.exception()) is not None:
                log.error("handling an observer's message failed", exc_info=error)
                return m.CloseCode.INTERNAL_ERROR, "internal error"
            return steering.result() or (m.CloseCode.NORMAL, "")
        return m.CloseCode.GOING_AWAY, "connection closed"

    async def _ready(self, live: m.LiveStatus) -> None:
        record = await self.services.store.get_interview(self.record.id) or self.record
        setup = record.setup
        await self.send(
            m.ObserverReady(
                interview_id=record.id,
                candidate_name=setup.candidate_name,
                job_title=setup.job_title,
                interview_type=setup.interview_type.value,
                num_questions=setup.num_questions,
                status=record.status,
                live=live,
            )
        )

    async def _receive(self) -> m.ObserverClientMessage | Close | None:
        """The next valid message; a close when the observer must be dropped; None when it left."""
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return None
            if message.get("bytes") is not None:
                await self.send(m.ErrorMessage(code=m.ErrorCode.INVALID_MESSAGE, message="observers cannot send audio"))
                continue
            text = message.get("text") or ""
            if len(text.encode()) > m.MAX_TEXT_MESSAGE_BYTES:
                too_big = m.ErrorMessage(
                    code=m.ErrorCode.MESSAGE_TOO_LARGE, message="message exceeds 64 KiB", fatal=True
                )
                await self.send(too_big)
                return m.CloseCode.MESSAGE_TOO_BIG, "message too big"
            try:
                return m.parse_observer_message(text)
            except m.ProtocolError as exc:
                await self.send(exc.to_message())

    async def _wait_observe(self) -> m.Observe | Close:
        while True:
            message = await self._receive()
            if message is None:
                return m.CloseCode.GOING_AWAY, "connection closed"
            if isinstance(message, tuple | m.Observe):
                return message
            await self.send(m.ErrorMessage(code=m.ErrorCode.OUT_OF_ORDER, message="send 'observe' first"))

    async def _steer(self) -> Close | None:
        while True:
            message = await self._receive()
            if message is None or isinstance(message, tuple):
                return message
            if isinstance(message, m.Observe):
                await self.send(m.ErrorMessage(code=m.ErrorCode.OUT_OF_ORDER, message="'observe' was already received"))
                continue
            now = time.monotonic()
            if not self._steering_budget.take(now):
                METRICS.refusals.labels(limit="steering").inc()
                wait = self._steering_budget.retry_after(now)
                text = f"Too many steering actions and notes; wait {wait:.1f} s and try again."
                await self.send(
                    m.SteeringRefused(request_id=message.request_id, code=m.ErrorCode.RATE_LIMITED, message=text)
                )
                continue
            try:
                await check_observer(self.services, self.record.id, self.credential)
            except LinkRefused as refused:
                await self.send(m.ErrorMessage(code=m.ErrorCode.INVALID_MESSAGE, message=refused.message, fatal=True))
                return close_for(refused)
            sent = await send_steering(self.services.bus, self.record.id, message, self.name)
            if isinstance(sent, m.SteeringRefused):
                await self.send(sent)
            else:
                self._commands.add(sent)

    async def _on_refused(self, refused: CommandRefused) -> None:
        if refused.command_id in self._commands:
            reply = m.SteeringRefused(request_id=refused.request_id, code=refused.code, message=refused.message)
            await self.send(reply)


def _failure(task: asyncio.Task[object]) -> BaseException | None:
    return task.exception() if task.done() and not task.cancelled() else None


routes = [WebSocketRoute("/ws/observe/{interview_id}", observer_socket)]
