"""A real Viva server whose speech engines are instant (see ``benchmarks.instant_engines``).

Everything else is what ``viva serve`` runs: the app, the live sessions, the turn detector, the builtin
interviewer and the SQLite store, on uvicorn with the same WebSocket implementation. Settings come from the
``VIVA_`` environment as usual.

Run: ``python -m benchmarks.instant_server --port 8123``.
"""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from benchmarks.instant_engines import FixedSpeechToText, LoudnessVad, ToneTextToSpeech
from server.app import create_app
from server.cli import WS_MAX_SIZE, WebSocketProtocol, allow_event_loop_often
from server.config import Settings
from server.conversation.factory import create_interviewer_factory
from server.logs import configure_logging
from server.services.auth import recruiter_auth
from server.services.runtime import Services
from server.store import create_store


async def serve(host: str, port: int) -> None:
    settings = Settings()
    store = create_store(settings)
    await store.open()
    services = Services(
        settings=settings,
        store=store,
        stt=FixedSpeechToText(),
        tts=ToneTextToSpeech(),
        vad=LoudnessVad(),
        interviewers=create_interviewer_factory(settings),
        auth=recruiter_auth(settings),
    )
    config = uvicorn.Config(
        create_app(services=services),
        host=host,
        port=port,
        ws=WebSocketProtocol,
        ws_per_message_deflate=False,
        ws_max_size=WS_MAX_SIZE,
        log_level=settings.log_level,
        log_config=configure_logging(settings.log_level),
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Viva with instant speech engines, for capacity benchmarks")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    allow_event_loop_often()  # as `viva serve` does
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
