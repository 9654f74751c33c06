"""Driving the app in-process for the REST tests: real engines, a real store, the app's own lifespan."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn

from server.app import create_app
from server.config import Settings
from server.services.auth import recruiter_auth
from server.services.runtime import Services
from server.store import create_store
from tests.postgres import POSTGRES_URL, connect, temporary_schema

JOB_DESCRIPTION = (
    "We are hiring a backend engineer. You will design REST APIs in Python, run PostgreSQL in production, "
    "and deploy services on Kubernetes. Experience with payments is a plus."
)
RESUME = (
    "Ada Lovelace. Senior software engineer at Acme Payments (2019-2025). Built the card payments API in "
    "Python and FastAPI; cut failed charges by 40% with idempotency keys. Led the migration from MySQL to "
    "PostgreSQL with zero downtime."
)
START = {
    "candidate_name": "Ada Lovelace",
    "job_title": "Backend Engineer",
    "job_description": JOB_DESCRIPTION,
    "resume_text": RESUME,
    "interview_type": "technical",
    "num_questions": 2,
}
#: Long and specific enough that the builtin interviewer moves on rather than following up.
STRONG_ANSWER = (
    "At Acme I designed the payments API in Python. I chose PostgreSQL because we needed transactions, and I "
    "added idempotency keys so that retries were safe, which cut failed charges by 40 percent. I measured it "
    "with dashboards, wrote load tests, and if I did it again I would add contract tests earlier because two "
    "client teams broke on a schema change."
)


def changed(settings: Settings, **changes: Any) -> Settings:
    """A validated copy of ``settings`` with ``changes`` (which win over the environment)."""
    return Settings(**{**settings.model_dump(), **changes})


def with_settings(services: Services, **changes: Any) -> Services:
    settings = changed(services.settings, **changes)
    return dataclasses.replace(services, settings=settings, auth=recruiter_auth(settings))


@asynccontextmanager
async def app_client(services: Services, *, signed_in: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app in-process. ``signed_in``: as the recruiter's browser is after signing in (the
    session cookie, and the CSRF header Viva's pages send); otherwise anonymous."""
    app = create_app(services=services)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://localhost") as c,
    ):
        if signed_in and services.auth.admin_token is not None:
            response = await c.post("/api/v1/auth/signin", json={"token": services.auth.admin_token})
            assert response.status_code == 200, response.text
            c.headers["X-Viva-CSRF"] = "1"
        yield c


@asynccontextmanager
async def served(services: Services) -> AsyncIterator[str]:
    """The app on a real socket, in this event loop (sockets need one; no subprocess, models shared); its URL."""
    from server.cli import WebSocketProtocol
    from tests.conftest import free_port

    port = free_port()
    config = uvicorn.Config(
        create_app(services=services),
        host="127.0.0.1",
        port=port,
        ws=WebSocketProtocol,
        ws_per_message_deflate=False,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def postgres_services(services: Services) -> AsyncIterator[Services]:
    """``services`` with the store on the real PostgreSQL server, in a schema of its own."""
    await (await connect()).close()
    async with temporary_schema() as schema:
        settings = changed(services.settings, database_url=POSTGRES_URL, database_schema=schema)
        store = create_store(settings)
        await store.open()
        try:
            yield dataclasses.replace(services, settings=settings, store=store)
        finally:
            await store.close()


async def start(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/interview/start", json={**START, **overrides})
    assert response.status_code == 201, response.text
    return dict(response.json())
