"""Liveness and the public configuration (engines, limits, version; never a secret)."""

from __future__ import annotations

from importlib.metadata import version

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE
from protocol.messages import MAX_ANSWER_CHARS, PROTOCOL_VERSION
from server.services.runtime import Services


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def public_config(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    settings = services.settings
    return JSONResponse(
        {
            "version": version("viva"),
            "protocol_version": PROTOCOL_VERSION,
            "engines": {
                "interviewer": services.interviewers.name,
                "stt": services.stt.name,
                "tts": services.tts.name,
                "vad": services.vad.name,
            },
            "audio": {
                "input_sample_rate": INPUT_SAMPLE_RATE,
                "input_frame_ms": INPUT_FRAME_MS,
                "output_sample_rate": services.tts.sample_rate,
            },
            "limits": {
                "idle_timeout_s": settings.idle_timeout_s,
                "max_interview_s": settings.max_interview_s,
                "max_upload_bytes": settings.max_upload_bytes,
                "max_answer_chars": MAX_ANSWER_CHARS,
                "max_turn_ms": settings.max_turn_ms,
            },
        }
    )


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/api/v1/config", public_config, methods=["GET"]),
]
