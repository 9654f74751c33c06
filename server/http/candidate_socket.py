"""The live interview WebSocket: authenticate, run one :class:`LiveSession`, and close with the right code."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from protocol import messages as m
from server.http.admission import admit_socket, refuse
from server.live.shell.outbox import Outbox
from server.live.shell.saving import STORE_UNAVAILABLE_CLOSE
from server.live.shell.session import LiveSession, SessionEnded
from server.live.shell.steering import follow_steering
from server.llm.usage import metering
from server.metrics import METRICS
from server.store.base import FINAL_STATUSES, StoreUnavailable

log = logging.getLogger("viva.live")

#: Binary frames larger than this are refused as oversize (upstream frames are 640 bytes).
MAX_BINARY_MESSAGE_BYTES = 64 * 1024


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
    sender = asyncio.create_task(_send_loop(websocket, session.outbox))
    receiver = asyncio.create_task(_receive_loop(websocket, session))
    watchdog = asyncio.create_task(session.watchdog())
    ended = asyncio.create_task(session.wait_ended())
    superseded = asyncio.create_task(connection.superseded.wait())
    lost = asyncio.create_task(session.wait_lost())
    steering = asyncio.create_task(follow_steering(session, session.services.bus))  # returns if the link is revoked
    await asyncio.wait({sender, receiver, ended, superseded, lost, steering}, return_when=asyncio.FIRST_COMPLETED)

    ending: SessionEnded | None = ended.result() if ended.done() else None
    close_code, reason = m.CloseCode.GOING_AWAY, "connection closed"
    if ending is not None:
        close_code, reason = m.CloseCode.NORMAL, ending.reason.value
    elif superseded.done():
        close_code, reason = m.CloseCode.SUPERSEDED, "the interview continued on a newer connection"
    elif lost.done():
        close_code, reason = lost.result()
    elif steering.done():
        close_code, reason = m.CloseCode.TOKEN_REVOKED, "the candidate link was revoked"
    elif receiver.done() and not receiver.cancelled() and receiver.result() is not None:
        close_code, reason = receiver.result()  # type: ignore[misc]

    for task in (receiver, watchdog, ended, superseded, lost, steering):
        task.cancel()
    try:
        await session.shutdown(ending)
    except StoreUnavailable as exc:  # the end (or the usage) could not be recorded: the client may come back
        log.warning("the session closed without recording its end: %s", exc)
        close_code, reason = STORE_UNAVAILABLE_CLOSE
    await session.outbox.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(sender, timeout=5)
    sender.cancel()
    with contextlib.suppress(Exception):
        await websocket.close(code=close_code, reason=reason)


async def _send_loop(websocket: WebSocket, outbox: Outbox) -> None:
    while (message := await outbox.get()) is not None:
        if isinstance(message, bytes):
            await websocket.send_bytes(message)
        else:
            await websocket.send_text(message)


async def _receive_loop(websocket: WebSocket, session: LiveSession) -> tuple[int, str] | None:
    """Feed the session until the client leaves; returns a close code when the client must be dropped."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return None
            data = message.get("bytes")
            text = message.get("text")
            size = len(data) if data is not None else len((text or "").encode())
            limit = MAX_BINARY_MESSAGE_BYTES if data is not None else m.MAX_TEXT_MESSAGE_BYTES
            if size > limit:
                error = m.ErrorMessage(
                    code=m.ErrorCode.MESSAGE_TOO_LARGE,
                    message=f"message of {size} bytes exceeds {limit}",
                    fatal=True,
                )
                await session.send(error)
                return m.CloseCode.MESSAGE_TOO_BIG, "message too big"
            if data is not None:
                await session.on_audio(data)
            elif text is not None:
                await session.on_text(text)
    except WebSocketDisconnect:
        return None


routes = [WebSocketRoute("/ws/interview/{interview_id}", interview_socket)]
