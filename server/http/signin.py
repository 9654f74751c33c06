"""Signing the recruiter in and out (the sign-in link printed at start-up: :func:`server.services.auth.announce`).

``POST /api/v1/auth/signin`` (the sign-in page's form) or opening ``/?token=<admin token>`` (the printed link,
handled by :mod:`server.http.pages`) sets the session cookie: HttpOnly (no script reads it), SameSite=Strict
(no other site's page sends it), Secure over https, signed and expiring (``VIVA_SESSION_TTL_S``).
``POST /api/v1/auth/signout`` clears it; ``GET /api/v1/auth/session`` says whether a request is signed in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.http.access import SESSION_COOKIE, check_csrf, same_origin, session_expiry
from server.http.bodies import read_json
from server.http.errors import ApiError
from server.http.schemas import SessionState, SignInRequest
from server.http.spec import Operation
from server.services.auth import Session, SessionRefused
from server.services.runtime import Services

log = logging.getLogger("viva.auth")


def _secure(connection: HTTPConnection, services: Services) -> bool:
    return connection.url.scheme in ("https", "wss") or services.settings.base_url.startswith("https://")


def set_session_cookie(response: Response, connection: HTTPConnection, services: Services, session: Session) -> None:
    """Sign the response's receiver in with ``session`` (a new one from ``services.auth.new_session()``)."""
    response.set_cookie(
        SESSION_COOKIE,
        session.value,
        max_age=int(services.auth.session_ttl_s),
        expires=datetime.fromtimestamp(session.expires_at, UTC),
        path="/",
        secure=_secure(connection, services),
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"


def _state(services: Services, signed_in: bool, expires_at: int | None = None) -> JSONResponse:
    expires = datetime.fromtimestamp(expires_at, UTC) if expires_at is not None else None
    body = SessionState(auth=services.auth.mode, signed_in=signed_in, expires_at=expires)
    return JSONResponse(body.model_dump(mode="json"))


async def sign_in(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    if not same_origin(request, services.settings):
        raise ApiError(403, "csrf_failed", "Refused: signing in from another site's page.")
    body = await read_json(request, SignInRequest)
    if services.auth.open or services.auth.admin_token is None:
        raise ApiError(409, "sign_in_disabled", "This server runs with VIVA_AUTH=none: there is no sign-in.")
    if not services.auth.is_admin(body.token):
        log.warning("a sign-in with a wrong admin token was refused")
        raise ApiError(403, "invalid_token", "That is not this server's admin token.")
    session = services.auth.new_session()
    response = _state(services, signed_in=True, expires_at=session.expires_at)
    set_session_cookie(response, request, services, session)
    return response


async def sign_out(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    check_csrf(request, services.settings)
    response = _state(services, signed_in=services.auth.open)
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=_secure(request, services), httponly=True, samesite="strict"
    )
    return response


async def session_state(request: Request) -> JSONResponse:
    services: Services = request.app.state.services
    if services.auth.open:
        return _state(services, signed_in=True)
    try:
        expires_at = session_expiry(request, services)
    except SessionRefused:
        return _state(services, signed_in=False)
    return _state(services, signed_in=True, expires_at=expires_at)


routes = [
    Route("/api/v1/auth/signin", sign_in, methods=["POST"]),
    Route("/api/v1/auth/signout", sign_out, methods=["POST"]),
    Route("/api/v1/auth/session", session_state, methods=["GET"]),
]

operations = [
    Operation(
        "POST",
        "/api/v1/auth/signin",
        "Sign the recruiter in",
        "Checks the admin token and sets the session cookie (HttpOnly, SameSite=Strict, Secure over https, "
        "expiring after `VIVA_SESSION_TTL_S`). Requests signed in by the cookie that change something must send "
        "`X-Viva-CSRF: 1` from a page of this server. API clients need no session: they send the admin token as "
        "a Bearer token.",
        body=SignInRequest,
        response=SessionState,
        errors=(400, 403, 409, 422),
    ),
    Operation(
        "POST",
        "/api/v1/auth/signout",
        "Sign out",
        "Clears the session cookie. Needs `X-Viva-CSRF: 1` and no cross-site origin.",
        response=SessionState,
        errors=(403,),
    ),
    Operation(
        "GET",
        "/api/v1/auth/session",
        "Whether this browser is signed in",
        response=SessionState,
    ),
]
