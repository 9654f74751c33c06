"""Health (readiness and liveness, with admission control's state), the public configuration (engines, limits,
version, how the recruiter signs in; never a secret), and the Prometheus metrics (the recruiter's, unless
``VIVA_METRICS_PUBLIC``).

``/health`` is readiness: it pings the store (with a short timeout) and reads the bus's health. The store down
means the server cannot take interviews: 503, naming it. The bus (Redis) down is only "degraded": interviews go
on and observers read live events from the database, so a load balancer should keep sending traffic.
``/health/live`` is liveness: it touches nothing but the process, so an orchestrator does not restart a healthy
server because its database is down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.metadata import version

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE
from protocol.messages import MAX_ANSWER_CHARS, PROTOCOL_VERSION
from server.http.access import require_recruiter
from server.http.errors import STORE_RETRY_AFTER_S
from server.metrics import exposition
from server.services.auth import AUTH_NONE_WARNING
from server.services.runtime import Services
from server.store.base import StoreUnavailable

#: How long the readiness check waits for the database.
STORE_PING_TIMEOUT_S = 2.0


async def health(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    store: dict[str, str] = {"status": "up"}
    try:
        await services.store.ping(STORE_PING_TIMEOUT_S)
    except StoreUnavailable as exc:
        store = {"status": "down", "message": str(exc)}
    bus = {"status": "up" if services.bus.healthy else "down", "engine": services.bus.name}
    checks: dict[str, Mapping[str, object]] = {"store": store, "bus": bus, "admission": _admission(request)}
    if store["status"] == "down":
        headers = {"Retry-After": str(STORE_RETRY_AFTER_S)}
        return JSONResponse({"status": "unavailable", "checks": checks}, status_code=503, headers=headers)
    return JSONResponse({"status": "ok" if bus["status"] == "up" else "degraded", "checks": checks})


def _admission(request: Request) -> dict[str, object]:
    """Whether this node takes new live interviews now, and the load it decides from (informational: a busy node
    still serves its sessions, so readiness does not fail; a balancer may prefer nodes that admit)."""
    if not request.app.state.services.settings.admission_gap_ms:
        return {"status": "off"}
    state = request.app.state.load.state()
    return {"status": "admitting" if state.pop("admitting") else "busy", **state}


async def liveness(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "pid": os.getpid()})


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
                "turn_model": services.turn_model.name if services.turn_model is not None else "none",
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
    return Response(exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/health/live", liveness, methods=["GET"]),
    Route("/api/v1/config", public_config, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
