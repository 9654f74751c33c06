"""The ``viva`` command: ``viva serve [--host] [--port]``."""

from __future__ import annotations

import argparse

import uvicorn

from server.config import Settings

#: uvicorn closes the socket with 1009 above this; the session refuses smaller oversize messages itself.
WS_MAX_SIZE = 1024 * 1024


def main(argv: list[str] | None = None) -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="viva", description="Viva, the real-time voice interviewer")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the server")
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args(argv)
    if args.command == "serve":
        from server.app import create_app
        from server.logs import configure_logging as logging_config

        # The address it listens on is part of the configuration: the default links and allowed hosts use it.
        settings = Settings(**{**settings.model_dump(), "host": args.host, "port": args.port})
        uvicorn.run(
            create_app(settings),
            host=args.host,
            port=args.port,
            ws="websockets-sansio",
            ws_max_size=WS_MAX_SIZE,
            # Compressing 20 ms PCM frames saves nothing and costs CPU on every frame (measured: a third of it).
            ws_per_message_deflate=False,
            log_level=settings.log_level,
            log_config=logging_config(settings.log_level),
        )


if __name__ == "__main__":
    main()
