"""The ``viva`` command: ``viva serve [--host] [--port] [--workers]``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from server.config import Settings
from server.processes import HEALTHCHECK_TIMEOUT_S, default_workers, refusal, run_workers
from server.services.auth import announce, recruiter_auth

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

    def send_receive_event_to_app(self) -> None:
        """Pause reading only once READ_AHEAD messages wait for the app, not after every one: uvicorn pauses and
        resumes the socket around each message (two epoll_ctl calls per 20 ms frame, ~20 % of a frame's cost,
        measured with py-spy at 200 sessions). Backpressure stays, bounded by READ_AHEAD messages."""
        if self.read_paused or self.queue.qsize() >= READ_AHEAD:
            super().send_receive_event_to_app()
            return
        self.read_paused = True  # the base class pauses unless it believes it already has
        try:
            super().send_receive_event_to_app()
        finally:
            self.read_paused = False


#: Messages a socket may have waiting for the app before reading pauses.
READ_AHEAD = 32


#: How long a thread may hold the GIL while another waits for it (Python's default is 5 ms).
GIL_SWITCH_INTERVAL_S = 0.001


def allow_event_loop_often() -> None:
    """The builtin scorer is pure Python in a worker thread: while it runs, the event loop waits for the GIL
    at each wake-up, up to the switch interval. 1 ms instead of 5 keeps every socket's round trip short while
    an answer is scored; threads that compute in C (Whisper, Piper, ONNX) release the GIL and do not notice."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def worker_app() -> Starlette:
    """The app of one server process, built from the environment ``main`` prepared (uvicorn's factory): in
    this process, or in each worker uvicorn spawns."""
    from server.app import create_app

    allow_event_loop_often()
    return create_app(Settings())


def uvicorn_options(app: str, host: str, port: int, log_level: str) -> dict[str, Any]:
    """How every Viva server runs on uvicorn (``viva serve``, and the benchmarks' server): ``app`` is an import
    string of an app factory, so that worker processes can build their own."""
    from server.logs import configure_logging

    return dict(
        app=app,
        factory=True,
        host=host,
        port=port,
        ws="server.cli:WebSocketProtocol",
        ws_max_size=WS_MAX_SIZE,
        # Compressing 20 ms PCM frames saves nothing and costs CPU on every frame (measured: a third of it).
        ws_per_message_deflate=False,
        log_level=log_level,
        log_config=configure_logging(log_level),
    )


def main(argv: list[str] | None = None) -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="viva", description="Viva, the real-time voice interviewer")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the server")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument(
        "--workers",
        type=int,
        default=settings.workers,
        help="server processes sharing the port (VIVA_WORKERS; default: one per core with VIVA_REDIS_URL, else 1)",
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        workers = default_workers(settings) if args.workers is None else args.workers
        problem = "--workers must be at least 1" if workers < 1 else refusal(settings, workers)
        if problem is not None:
            print(f"viva serve: {problem}", file=sys.stderr)
            sys.exit(2)
        # Every process builds its settings from the environment, so the command line goes there too. Where
        # it listens is also where people open it (links, the sign-in link) unless VIVA_PUBLIC_URL says.
        os.environ.update(VIVA_HOST=args.host, VIVA_PORT=str(args.port), VIVA_WORKERS=str(workers))
        settings = Settings()
        options = uvicorn_options("server.cli:worker_app", args.host, args.port, settings.log_level)
        if workers == 1:
            uvicorn.run(**options)  # the app says where to open it once it has started
            return
        config = uvicorn.Config(**options, workers=workers, timeout_worker_healthcheck=HEALTHCHECK_TIMEOUT_S)
        # The admin token is made (or read) here, once, before any worker looks for it; the link is said once.
        sys.exit(run_workers(config, lambda: announce(recruiter_auth(settings), settings)))


if __name__ == "__main__":
    main()
