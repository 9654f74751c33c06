"""The Starlette application factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from server.bus import create_bus
from server.config import Settings
from server.conversation.factory import create_interviewer_factory
from server.engines import create_engines, create_turn_model
from server.http import candidate_socket, health, observer_socket, rest
from server.http.errors import EXCEPTION_HANDLERS
from server.http.middleware import middleware
from server.http.pages import PageGuard
from server.live.core.session import PROMPT, PROMPT_HOLDING
from server.services.auth import announce, recruiter_auth
from server.services.document_pool import DocumentPool
from server.services.limits import PerKeyLimit
from server.services.load_monitor import LoadMonitor, limits_from
from server.services.runtime import Services
from server.store import create_store
from server.text.embeddings import shared_encoder

WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"


async def build_services(settings: Settings) -> Services:
    """Load the recruiter's credential and the engines, open the store and connect the bus: once per process,
    shared by every session."""
    auth = recruiter_auth(settings)
    stt, tts, vad = create_engines(settings)
    turn_model = create_turn_model(settings)
    # The scorer's sentence-embedding model (both evaluators use it): loaded now, not by the first answer.
    await asyncio.to_thread(shared_encoder)
    store = create_store(settings)
    await store.open()
    bus = create_bus(settings)
    await bus.start()
    interviewers = create_interviewer_factory(settings)
    # What every interview says word for word, made in the background now, so that no reply waits for it.
    tts.prepare([*interviewers.fixed_sentences(), PROMPT_HOLDING, PROMPT])
    return Services(
        settings=settings,
        store=store,
        stt=stt,
        tts=tts,
        vad=vad,
        interviewers=interviewers,
        auth=auth,
        bus=bus,
        turn_model=turn_model,
    )


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """Build the app. Pass ``services`` to share already loaded engines (tests do, to load models once)."""
    settings = settings or (services.settings if services else Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or await build_services(settings)
        app.state.live_connections = {}  # interview id -> its candidate socket in this process
        app.state.observer_counts = {}  # interview id -> observer sockets open in this process
        limits = app.state.services.settings
        app.state.start_limit = PerKeyLimit(
            "too_many_starts", "interviews created", limits.per_worker(limits.interview_starts_per_minute), 60.0
        )
        app.state.documents = DocumentPool(limits.document_workers, limits.document_queue)  # workers start when used
        app.state.load = LoadMonitor(limits_from(limits), lambda: len(app.state.live_connections))
        app.state.load.start()
        if (limits.workers or 1) == 1:  # several workers: their parent said it once, before starting them
            announce(app.state.services.auth, limits)
        try:
            yield
        finally:
            await app.state.load.stop()
            await app.state.documents.close()
            if owned:
                await app.state.services.bus.close()
                await app.state.services.store.close()

    routes: list[BaseRoute] = [
        *health.routes,
        *candidate_socket.routes,
        *observer_socket.routes,
        *rest.routes,
    ]
    if WEB_DIST.is_dir():
        routes.append(Mount("/", app=PageGuard(StaticFiles(directory=WEB_DIST, html=True)), name="web"))
    return Starlette(
        routes=routes, lifespan=lifespan, exception_handlers=EXCEPTION_HANDLERS, middleware=middleware(settings)
    )
