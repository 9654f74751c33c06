"""The live interview WebSocket: authenticate, run one :class:`LiveSession`, and close with the right code."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from starlette.routing import WebSocketRoute
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from protocol import messages as m
from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE
from server.config import Settings
from server.http.admission import admit_socket, refuse
from server.live.core.session import STORE_UNAVAILABLE_CLOSE
from server.live.shell.outbox import Outbox
from server.live.shell.session import LiveSession
from server.live.shell.steering import follow_steering
from server.llm.usage import metering
from server.metrics import METRICS
from server.services.limits import AudioPacer, RateOutcome, TokenBucket, per_window
from server.store.base import FINAL_STATUSES, StoreUnavailable

log = logging.getLogger("viva.live")

#: Binary frames larger than this are refused as oversize (upstream frames are 640 bytes).
MAX_BINARY_MESSAGE_BYTES = 64 * 1024
_BYTES_PER_MS = INPUT_SAMPLE_RATE * 2 // 1000
#: Messages that make the session work (a reply, a turn, a greeting), limited per session.
_TURN_MESSAGES = (m.TextAnswer, m.EndTurn, m.Start)

Close = tuple[int, str]


class Connection:
    """One socket's session, registered so a reconnect with the same link takes over from it."""

    def __init__(self, session: LiveSession) -> None:
        self.session = session
        self.superseded = asyncio.Event()


async def interview_socket(websocket: WebSocket) -> None:
    admitted = await admit_socket(websocket, "candidate")
    if admitted is None:
        return
    services, record, _token = admitted
    interview_id = record.id
    if record.status in FINAL_STATUSES:
        await refuse(websocket, m.CloseCode.FORBIDDEN, "this interview has ended")
        return

    connections: dict[str, Connection] = websocket.app.state.live_connections
    limit = services.settings.per_worker(services.settings.max_live_sessions)  # this process's share
    # A reconnect was admitted when its interview began: it takes its own place over, on this process or (its
    # old socket already gone, or on another worker or node) wherever it lands, before any newcomer.
    returning = interview_id in connections or record.started_at is not None
    if not returning and len(connections) >= limit:
        METRICS.refusals.labels(limit="live_sessions").inc()
        log.warning("live session refused: %d of %d in use", len(connections), limit)
        reason = f"this server is running its limit of {limit} live interviews; try again in a minute"
        await refuse(websocket, m.CloseCode.TRY_AGAIN_LATER, reason)
        return
    if not returning and not (decision := websocket.app.state.load.decide()).admitted:
        log.warning("live session refused by admission control: %s", decision.reason)
        await refuse(websocket, m.CloseCode.TRY_AGAIN_LATER, decision.reason)
        return
    previous = connections.get(interview_id)
    if previous is not None:
        previous.superseded.set()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(previous.session.closed.wait(), timeout=35)
        try:
            record = await services.store.get_interview(interview_id) or record
        except StoreUnavailable as exc:
            log.warning("a reconnect was refused: %s", exc)
            await refuse(websocket, *STORE_UNAVAILABLE_CLOSE)
            return

    factory = services.interviewers
    interviewer = (
        factory.restore(record.setup, record.interviewer_state)
        if record.interviewer_state
        else factory.create(record.setup)
    )
    outbox = Outbox(audio_capacity=services.settings.outbound_queue_frames)
    session = LiveSession(services, record, interviewer, outbox)
    connection = Connection(session)
    connections[interview_id] = connection
    await websocket.accept()
    METRICS.live_sessions.inc()
    log.info("session opened")
    session.journal.record(m.CandidateConnection(connected=True))
    try:
        with metering(session.meter):  # model and audio usage of this session, attributed to the interview
            await _serve(websocket, session, connection)
    finally:
        METRICS.live_sessions.dec()
        log.info("session closed")
        session.journal.record(m.CandidateConnection(connected=False))
        await session.journal.close()
        if connections.get(interview_id) is connection:
            del connections[interview_id]
        session.closed.set()


async def _serve(websocket: WebSocket, session: LiveSession, connection: Connection) -> None:
    """Run the socket's tasks until the session closes, the client leaves, or the link is taken away; then
    always shut the session down (answers already given are still saved)."""
    sender = asyncio.create_task(_send_loop(websocket, session.outbox))
    driver = asyncio.create_task(session.run())
    receiver = asyncio.create_task(_receive_loop(websocket, session, SocketGuard(session.services.settings)))
    superseded = asyncio.create_task(connection.superseded.wait())
    steering = asyncio.create_task(follow_steering(session, session.services.bus))  # returns if the link is revoked
    close: Close = (m.CloseCode.GOING_AWAY, "connection closed")
    try:
        await asyncio.wait({sender, driver, receiver, superseded, steering}, return_when=asyncio.FIRST_COMPLETED)
        close = _close_for(session, driver, receiver, superseded, steering)
    finally:
        for task in (receiver, superseded, steering):
            task.cancel()
        try:
            if not driver.done():
                session.stop()
                driver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await driver
            await session.shutdown()
        finally:
            await session.outbox.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sender, timeout=5)
            sender.cancel()
            with contextlib.suppress(Exception):
                await websocket.close(code=close[0], reason=close[1])


def _result(task: asyncio.Task[Any]) -> Any:
    """The task's result if it finished with one; None if it is still running, was cancelled or failed."""
    if not task.done() or task.cancelled() or task.exception() is not None:
        return None
    return task.result()


def _close_for(
    session: LiveSession,
    driver: asyncio.Task[None],
    receiver: asyncio.Task[Close | None],
    superseded: asyncio.Task[Any],
    steering: asyncio.Task[Any],
) -> Close:
    if driver.done() and not driver.cancelled() and driver.exception() is not None:
        log.error("the session failed", exc_info=driver.exception())
        return m.CloseCode.INTERNAL_ERROR, "internal error"
    if session.close is not None:
        return session.close
    if superseded.done():
        return m.CloseCode.SUPERSEDED, "the interview continued on a newer connection"
    if steering.done():
        if not steering.cancelled() and steering.exception() is not None:
            log.error("following steering failed", exc_info=steering.exception())
            return m.CloseCode.INTERNAL_ERROR, "internal error"
        return m.CloseCode.TOKEN_REVOKED, "the candidate link was revoked"
    if (receiver_close := _result(receiver)) is not None:
        return receiver_close
    return m.CloseCode.GOING_AWAY, "connection closed"


async def _send_loop(websocket: WebSocket, outbox: Outbox) -> None:
    while (message := await outbox.get()) is not None:
        if isinstance(message, bytes):
            await websocket.send_bytes(message)
        else:
            await websocket.send_text(message)


class SocketGuard:
    """What one candidate socket may send, checked before the session sees it: the ``hello`` deadline, the
    pace of upstream audio against real time, and how often it may ask for work (answers, turns, starts)."""

    def __init__(self, settings: Settings, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.hello_deadline = now + settings.hello_timeout_s
        self.hello_seen = False
        self.audio = AudioPacer(settings.audio_max_speed, settings.audio_burst_ms, settings.audio_flood_close_ms)
        self.turns: TokenBucket = per_window(settings.turn_messages_per_10s, 10.0)


async def _receive(websocket: WebSocket, guard: SocketGuard) -> Message | None:
    """The next frame; None when the ``hello`` deadline passes first."""
    if guard.hello_seen:
        return await websocket.receive()
    try:
        return await asyncio.wait_for(websocket.receive(), max(0.0, guard.hello_deadline - time.monotonic()))
    except TimeoutError:
        return None


async def _receive_loop(websocket: WebSocket, session: LiveSession, guard: SocketGuard) -> Close | None:
    """Feed the session until the client leaves; returns a close code when the client must be dropped.

    A bug while handling one message is logged and closes the socket with 1011 (the session is still shut
    down properly by :func:`_serve`): it never escapes as an unhandled task error.
    """
    try:
        while True:
            message = await _receive(websocket, guard)
            if message is None:
                await session.send(
                    m.ErrorMessage(code=m.ErrorCode.OUT_OF_ORDER, message="no 'hello' message in time", fatal=True)
                )
                return m.CloseCode.HANDSHAKE_TIMEOUT, "no 'hello' message in time"
            if message["type"] == "websocket.disconnect":
                return None
            close = await _handle(session, guard, message.get("bytes"), message.get("text"))
            if close is not None:
                return close
    except WebSocketDisconnect:
        return None
    except Exception:
        log.exception("handling a message failed")
        with contextlib.suppress(Exception):
            await session.send(
                m.ErrorMessage(code=m.ErrorCode.INTERNAL_ERROR, message="the server failed on that message", fatal=True)
            )
        return m.CloseCode.INTERNAL_ERROR, "internal error"


async def _handle(session: LiveSession, guard: SocketGuard, data: bytes | None, text: str | None) -> Close | None:
    size = len(data) if data is not None else len((text or "").encode())
    limit = MAX_BINARY_MESSAGE_BYTES if data is not None else m.MAX_TEXT_MESSAGE_BYTES
    if size > limit:
        error = m.ErrorMessage(
            code=m.ErrorCode.MESSAGE_TOO_LARGE, message=f"message of {size} bytes exceeds {limit}", fatal=True
        )
        await session.send(error)
        return m.CloseCode.MESSAGE_TOO_BIG, "message too big"
    if data is not None:
        return await _on_audio(session, guard, data)
    if text is not None:
        await _on_text(session, guard, text)
    return None


async def _on_audio(session: LiveSession, guard: SocketGuard, data: bytes) -> Close | None:
    """Audio within the pace goes to the session; audio beyond it is dropped, and a flood closes the socket."""
    audio_ms = max(INPUT_FRAME_MS, len(data) / _BYTES_PER_MS)  # a tiny frame still costs a frame's work
    outcome = guard.audio.arrived(audio_ms, time.monotonic())
    if outcome is RateOutcome.ACCEPT:
        await session.feed_audio(data)
        return None
    METRICS.refusals.labels(limit="audio_rate").inc()
    pace = f"audio is arriving faster than {guard.audio.max_speed:g}x real time"
    if outcome is RateOutcome.CLOSE:
        await session.send(m.ErrorMessage(code=m.ErrorCode.RATE_LIMITED, message=f"{pace}; closing", fatal=True))
        return m.CloseCode.POLICY_VIOLATION, "audio sent faster than real time"
    if outcome is RateOutcome.DROP_AND_WARN:
        await session.send(
            m.ErrorMessage(code=m.ErrorCode.RATE_LIMITED, message=f"{pace}; frames over the pace are dropped")
        )
    return None


async def _on_text(session: LiveSession, guard: SocketGuard, text: str) -> None:
    """Classify the message before the session takes it: ``hello`` lifts the deadline; work is rate-limited.

    The session's core parses the text again: it judges every message itself, so a recording replays whole.
    """
    try:
        message = m.parse_client_message(text)
    except m.ProtocolError as exc:
        await session.send(exc.to_message())
        return
    if isinstance(message, m.Hello):
        guard.hello_seen = True
    elif isinstance(message, _TURN_MESSAGES):
        now = time.monotonic()
        if not guard.turns.take(now):
            METRICS.refusals.labels(limit="turn_messages").inc()
            wait = guard.turns.retry_after(now)
            refusal = f"too many '{message.type}' messages; wait {wait:.1f} s and send it again"
            await session.send(m.ErrorMessage(code=m.ErrorCode.RATE_LIMITED, message=refusal))
            return
    await session.feed_text(text)


routes = [WebSocketRoute("/ws/interview/{interview_id}", interview_socket)]
