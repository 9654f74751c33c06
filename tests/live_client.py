"""A Python client of the live interview protocol, for integration tests and benchmarks.

It streams audio paced in real time, as a browser microphone would, and records every message it receives
with the time it arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets

from protocol import messages as m
from protocol.audio import INPUT_FRAME_MS, OutputFrame
from tests.conftest import ADMIN_TOKEN, recruiter_headers
from tests.speech import frames, silence

DEFAULT_SETUP = {
    "candidate_name": "Ada Lovelace",
    "job_title": "Backend Engineer",
    "job_description": "We need a backend engineer experienced with Python, Kubernetes and PostgreSQL "
    "to build payment services.",
    "resume_text": "Ada Lovelace. Senior engineer. Built a payment service in Python on Kubernetes. "
    "Led a team of four. Cut latency by 40 percent.",
    "interview_type": "technical",
    "num_questions": 2,
}


def start_interview(base_url: str, admin_token: str = ADMIN_TOKEN, **overrides: Any) -> dict[str, Any]:
    """Create an interview as the recruiter (the admin token of the servers the tests start, unless given)."""
    response = httpx.post(
        f"{base_url}/api/v1/interview/start",
        json={**DEFAULT_SETUP, **overrides},
        headers=recruiter_headers(admin_token),
        timeout=30,
    )
    response.raise_for_status()
    return dict(response.json())


@dataclass
class Received:
    at: float
    message: Any  # a protocol server message or an OutputFrame


@dataclass
class LiveClient:
    url: str
    received: list[Received] = field(default_factory=list)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    close_code: int | None = None
    close_reason: str = ""
    report_playback: bool = True
    _ws: Any = None
    _reader: asyncio.Task[None] | None = None
    _new: asyncio.Condition = field(default_factory=asyncio.Condition)

    @classmethod
    async def connect(
        cls, base_url: str, interview_id: str, token: str, sock: socket.socket | None = None, **kwargs: Any
    ) -> LiveClient:
        return await cls.open(
            base_url.replace("http", "ws", 1) + f"/ws/interview/{interview_id}?token={token}", sock, **kwargs
        )

    @classmethod
    async def open(cls, ws_url: str, sock: socket.socket | None = None, **kwargs: Any) -> LiveClient:
        """Connect to a socket URL as given (the start response's ``candidate_socket_url``), over ``sock`` if
        given (a connection already open to a chosen worker process)."""
        client = cls(url=ws_url, **kwargs)
        client._ws = await websockets.connect(ws_url, max_size=None, sock=sock)
        client._reader = asyncio.create_task(client._read())
        return client

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                message: Any = OutputFrame.decode(raw) if isinstance(raw, bytes) else m.parse_server_message(raw)
                async with self._new:
                    self.received.append(Received(time.monotonic(), message))
                    self._new.notify_all()
                if self.report_playback and isinstance(message, m.UtteranceEnd):
                    # Played out "instantly": a test client has no speaker.
                    await self.send(
                        m.Playback(utterance_id=message.utterance_id, played_ms=message.duration_ms, done=True)
                    )
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self._ws.close_code
            self.close_reason = self._ws.close_reason or ""
            async with self._new:
                self.closed.set()
                self._new.notify_all()

    async def send(self, message: m.Message) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._ws.send(m.encode(message))

    async def send_raw(self, data: str | bytes) -> None:
        await self._ws.send(data)

    async def stream(self, pcm: bytes, realtime: bool = True) -> float:
        """Send PCM as 20 ms frames, paced in real time; returns the monotonic time of the last frame."""
        start = time.monotonic()
        for i, frame in enumerate(frames(pcm)):
            if realtime:
                delay = start + i * INPUT_FRAME_MS / 1000 - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            try:
                await self._ws.send(frame)
            except websockets.ConnectionClosed:
                break
        return time.monotonic()

    async def stream_silence_until(self, predicate: Any, timeout: float, start: int = 0) -> Any:
        """Keep the microphone open (silence) until a message received (from index ``start``) satisfies it."""
        waiter = asyncio.create_task(self.wait_for(predicate, timeout, start))
        chunk = silence(0.2)
        while not waiter.done():
            await self.stream(chunk)
        return waiter.result()

    def messages(self, kind: type | tuple[type, ...] = object) -> list[Any]:
        return [r.message for r in self.received if isinstance(r.message, kind)]

    async def wait_for(self, predicate: Any, timeout: float, start: int = 0) -> Any:
        """Wait until a message received (from index ``start``) satisfies ``predicate``; return it."""

        def found() -> Any:
            for r in self.received[start:]:
                if predicate(r.message):
                    return r.message
            return None

        try:
            async with self._new:
                await asyncio.wait_for(self._new.wait_for(lambda: found() is not None or self.closed.is_set()), timeout)
        except TimeoutError:
            raise AssertionError(f"no such message in {timeout} s; the session's messages:\n{dump(self)}") from None
        result = found()
        if result is None:
            raise AssertionError(f"connection closed ({self.close_code} {self.close_reason}) before the message came")
        return result

    async def handshake(self) -> m.Ready:
        await self.send(m.Hello(client="viva-tests"))
        ready: m.Ready = await self.wait_for(lambda msg: isinstance(msg, m.Ready), 10)
        return ready

    async def wait_listening(self, timeout: float = 60, start: int = 0) -> None:
        await self.wait_for(lambda msg: isinstance(msg, m.StateChanged) and msg.state == "listening", timeout, start)

    async def close(self) -> None:
        await self._ws.close()
        if self._reader:
            await self._reader


def is_type(kind: type, **fields: Any) -> Any:
    return lambda msg: isinstance(msg, kind) and all(getattr(msg, k) == v for k, v in fields.items())


def dump(client: LiveClient) -> str:
    """The received control messages, for assertion messages."""
    return json.dumps(
        [r.message.model_dump(mode="json") for r in client.received if not isinstance(r.message, OutputFrame)],
        indent=1,
    )[-6000:]


async def answer_when_allowed(candidate: LiveClient, text: str, turn: int) -> None:
    """Answer once the interviewer speaks or listens after the previous answer (a typed answer may interrupt)."""
    finals = [i for i, r in enumerate(candidate.received) if isinstance(r.message, m.FinalTranscript)]
    since = finals[-1] + 1 if finals else 0
    await candidate.wait_for(
        lambda msg: isinstance(msg, m.StateChanged) and msg.state in ("speaking", "listening"), 90, start=since
    )
    await candidate.send(m.TextAnswer(text=text))
    await candidate.wait_for(is_type(m.FinalTranscript, turn=turn), 30)
