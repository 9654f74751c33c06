"""A local OpenAI-compatible HTTP server for tests: the real ``openai`` SDK talks to it over HTTP.

Scriptable per test: queue canned replies (text, status codes, delays, broken streams, invalid JSON) per
endpoint, or install a handler that computes the reply from the request. Every request is recorded so
tests can check what was sent (system prompt, fenced data, parameters).
"""

from __future__ import annotations

import asyncio
import json
import math
import struct
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.conftest import free_port

CHAT = "chat"
TRANSCRIPTIONS = "transcriptions"
SPEECH = "speech"
SPEECH_SAMPLE_RATE = 24_000


@dataclass
class Scripted:
    """One canned reply. Unset fields get sensible defaults for the endpoint."""

    content: str | None = None  # chat: the assistant's text
    text: str | None = None  # transcriptions: the transcript
    audio: bytes | None = None  # speech: PCM16 at 24 kHz
    status: int = 200
    delay_s: float = 0.0
    #: Streamed chat only: send this many content chunks, then drop the connection.
    break_after_chunks: int | None = None
    #: Streamed chat only: characters per content chunk.
    chunk_chars: int = 12


@dataclass
class Recorded:
    endpoint: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] == "system")

    @property
    def user(self) -> str:
        return "\n".join(m["content"] for m in self.messages if m["role"] != "system")


Handler = Callable[[Recorded], Scripted]


class FakeOpenAI:
    def __init__(self) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.requests: list[Recorded] = []
        self._queues: dict[str, deque[Scripted]] = {CHAT: deque(), TRANSCRIPTIONS: deque(), SPEECH: deque()}
        self._handlers: dict[str, Handler] = {}
        self._server: uvicorn.Server | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/audio/transcriptions", self._transcriptions, methods=["POST"]),
                Route("/v1/audio/speech", self._speech, methods=["POST"]),
            ]
        )

    # ------------------------------------------------------------------ scripting

    def push(self, endpoint: str, *replies: Scripted) -> None:
        self._queues[endpoint].extend(replies)

    def handle(self, endpoint: str, handler: Handler) -> None:
        """Compute replies from requests once the queue for ``endpoint`` is empty."""
        self._handlers[endpoint] = handler

    def reset(self) -> None:
        self.requests.clear()
        self._handlers.clear()
        for queue in self._queues.values():
            queue.clear()

    def calls(self, endpoint: str) -> list[Recorded]:
        return [r for r in self.requests if r.endpoint == endpoint]

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeOpenAI:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server:
            self._server.should_exit = True

    @classmethod
    def running(cls) -> Iterator[FakeOpenAI]:
        server = cls().start()
        try:
            yield server
        finally:
            server.stop()

    # ------------------------------------------------------------------ endpoints

    def _next(self, endpoint: str, recorded: Recorded) -> Scripted:
        self.requests.append(recorded)
        if self._queues[endpoint]:
            return self._queues[endpoint].popleft()
        if endpoint in self._handlers:
            return self._handlers[endpoint](recorded)
        return Scripted()

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        reply = self._next(CHAT, Recorded(CHAT, body, dict(request.headers)))
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            return _error(reply.status)
        content = reply.content if reply.content is not None else "OK."
        usage = {
            "prompt_tokens": sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4,
            "completion_tokens": max(1, len(content) // 4),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(
                _sse(body.get("model", "fake"), content, reply, usage if include_usage else None),
                media_type="text/event-stream",
            )
        return JSONResponse(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "fake"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": usage,
            }
        )

    async def _transcriptions(self, request: Request) -> Response:
        form = await request.form()
        upload = form.get("file")
        audio = await upload.read() if upload is not None and not isinstance(upload, str) else b""
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        reply = self._next(TRANSCRIPTIONS, Recorded(TRANSCRIPTIONS, {**fields, "file_bytes": len(audio)}, {}))
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            return _error(reply.status)
        return JSONResponse({"text": reply.text if reply.text is not None else "hello"})

    async def _speech(self, request: Request) -> Response:
        body = await request.json()
        reply = self._next(SPEECH, Recorded(SPEECH, body, dict(request.headers)))
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            return _error(reply.status)
        audio = reply.audio if reply.audio is not None else tone(0.05 * len(body.get("input", "")))

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(audio), 4800):
                yield audio[start : start + 4800]

        return StreamingResponse(chunks(), media_type="audio/pcm")


def tone(seconds: float, hz: float = 220.0) -> bytes:
    """A PCM16 sine at 24 kHz: recognisable, non-silent audio."""
    count = int(seconds * SPEECH_SAMPLE_RATE)
    return struct.pack(
        f"<{count}h", *(int(8000 * math.sin(2 * math.pi * hz * i / SPEECH_SAMPLE_RATE)) for i in range(count))
    )


def _error(status: int) -> JSONResponse:
    kinds = {429: "rate_limit_exceeded", 500: "server_error", 400: "invalid_request_error", 401: "invalid_api_key"}
    return JSONResponse(
        {"error": {"message": f"scripted {status}", "type": kinds.get(status, "error"), "code": kinds.get(status)}},
        status_code=status,
    )


async def _sse(model: str, content: str, reply: Scripted, usage: dict[str, int] | None) -> AsyncIterator[bytes]:
    def event(choices: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> bytes:
        chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}
        chunk |= {"choices": choices, **(extra or {})}
        return f"data: {json.dumps(chunk)}\n\n".encode()

    yield event([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
    pieces = [content[i : i + reply.chunk_chars] for i in range(0, len(content), reply.chunk_chars)]
    for count, piece in enumerate(pieces):
        if reply.break_after_chunks is not None and count >= reply.break_after_chunks:
            raise ConnectionResetError("scripted broken stream")
        yield event([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
        await asyncio.sleep(0)
    yield event([{"index": 0, "delta": {}, "finish_reason": "stop"}])
    if usage is not None:
        yield event([], {"usage": usage})
    yield b"data: [DONE]\n\n"
