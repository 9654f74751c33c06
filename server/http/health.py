"""Liveness, the public configuration (engines, limits, version, how the recruiter signs in; never a secret),
and the Prometheus metrics (the recruiter's, unless ``VIVA_METRICS_PUBLIC``)."""

from __future__ import annotations

from importlib.metadata import version

from prometheus_client import generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE
from protocol.messages import MAX_ANSWER_CHARS, PROTOCOL_VERSION
from server.http.access import require_recruiter
from server.http.signin import AUTH_NONE_WARNING
from server.metrics import METRICS
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
            "auth": {"mode": "none", "warning": AUTH_NONE_WARNING} if services.auth.open else {"mode": "token"},
        }
    )


async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    if not services.settings.metrics_public:
        require_recruiter(request, services)
    return Response(generate_latest(METRICS.registry), media_type="text/plain; version=0.0.4; charset=utf-8")


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/api/v1/config", public_config, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
