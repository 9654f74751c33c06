"""The ``viva`` command: ``viva serve [--host] [--port]``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import uvicorn
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from server.config import Settings

#: uvicorn closes the socket with 1009 above this; the session refuses smaller oversize messages itself.
WS_MAX_SIZE = 1024 * 1024
#: How long a peer has to answer the server's close before the connection is dropped.
WS_CLOSE_TIMEOUT_S = 1.0


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's WebSocket protocol with a short closing handshake: after the server closes a socket (a flood
    refused with 1008, say), uvicorn keeps reading and parsing whatever the peer still sends until it answers
    the close, 10 s by default; a client that ignores the close could keep a core busy that long."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.close_timeout = WS_CLOSE_TIMEOUT_S


#: How long a thread may hold the GIL while another waits for it (Python's default is 5 ms).
GIL_SWITCH_INTERVAL_S = 0.001


def allow_event_loop_often() -> None:
    """The builtin scorer is pure Python in a worker thread: while it runs, the event loop waits for the GIL
    at each wake-up, up to the switch interval. 1 ms instead of 5 keeps every socket's round trip short while
    an answer is scored; threads that compute in C (Whisper, Piper, ONNX) release the GIL and do not notice."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def main(argv: list[str] | None = None) -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="viva", description="Viva, the real-time voice interviewer")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the server")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args(argv)
    if args.command == "serve":
        # Where it listens is also where people open it (links, the sign-in link) unless VIVA_PUBLIC_URL says.
        settings = Settings(**{**settings.model_dump(), "host": args.host, "port": args.port})
        from server.app import create_app

        allow_event_loop_often()
        from server.logs import configure_logging as logging_config

        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            ws=WebSocketProtocol,
            ws_max_size=WS_MAX_SIZE,
            # Compressing 20 ms PCM frames saves nothing and costs CPU on every frame (measured: a third of it).
            ws_per_message_deflate=False,
            log_level=settings.log_level,
            log_config=logging_config(settings.log_level),
        )


if __name__ == "__main__":
    main()
