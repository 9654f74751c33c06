"""An observer that leaves while it is being sent something (a long history, a reply) is a normal end of its
socket: a clean close, never an ERROR in the log."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
import websockets
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from protocol import messages as m
from server.http.observer_socket import ObserverRoom
from server.services.runtime import Services
from server.store.base import StoredEvent
from server.store.sql import SqlStore
from server.store.sqlite import SqliteDriver
from tests.conftest import ServerProcess
from tests.live_client import start_interview
from tests.observer_client import ws_base
from tests.test_observers import SETUP


async def gone_socket() -> WebSocket:
    """An accepted socket whose client has just gone: sending raises OSError, as uvicorn's ClientDisconnected."""

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        if message["type"] == "websocket.send":
            raise OSError("the client went away")

    websocket = WebSocket({"type": "websocket", "path": "/ws/observe/x", "headers": []}, receive, send)
    await websocket.accept()
    return websocket


async def test_every_sender_learns_the_observer_left(services: Services) -> None:
    """The feed and the steering loop both send; whichever comes second used to get a state error (a
    RuntimeError, logged as "an observer feed failed") instead of the disconnect."""
    interview_id = await services.store.create_interview(SETUP, "digest")
    record = await services.store.get_interview(interview_id)
    assert record is not None
    room = ObserverRoom(await gone_socket(), services, record, "token")
    for message in (m.History(events=[], last_seq=0), m.ErrorMessage(code=m.ErrorCode.INVALID_MESSAGE, message="x")):
        with pytest.raises(WebSocketDisconnect):
            await room.send(message)


@pytest.mark.slow
async def test_observers_leaving_mid_history_close_without_an_error_in_the_log(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server").start()
    try:
        created = start_interview(server.url)
        # A long history, so that sending it fills the socket and an observer leaves in the middle of it.
        store = SqlStore(SqliteDriver(server.data_dir / "viva.sqlite3"))
        await store.open()
        now = dt.datetime.now(dt.UTC)
        payload = m.NoteAdded(text="x" * 3000).model_dump(mode="json")
        await store.append_events(
            created["interview_id"], [StoredEvent(seq, "note", now, payload) for seq in range(1, 3001)]
        )
        await store.close()
        url = f"{ws_base(server.url)}/ws/observe/{created['interview_id']}?token={created['observer_token']}"
        for _ in range(12):
            # The client reads slowly (one message queued), sends something the server answers, and vanishes.
            ws = await websockets.connect(url, max_size=None, max_queue=1)
            await ws.send(m.encode(m.Observe()))
            await asyncio.sleep(0.4)
            await ws.send(b"audio")
            await asyncio.sleep(0.2)
            ws.transport.abort()
        await asyncio.sleep(1.5)
        health = websockets.connect(url)
        async with health as ws:  # the server still serves observers
            await ws.send(m.encode(m.Observe(after_seq=3000)))
            assert isinstance(m.parse_observer_server_message(await asyncio.wait_for(ws.recv(), 10)), m.ObserverReady)
    finally:
        server.stop()
    records = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    errors = [r for r in records if r.get("level") in ("ERROR", "CRITICAL")]
    assert not errors, [(r["logger"], r["message"], (r.get("exc_info") or "")[-300:]) for r in errors]
