"""Admitting a socket: its interview and credential are checked before anything else, refusals closed with a code.

The candidate's socket takes the candidate link's token. The observer's takes the observer link's token, the
admin token, or a signed-in recruiter's session cookie (the live room opened from the history carries no
token; the browser sends the cookie with the upgrade, and the origin check in :mod:`server.http.middleware`
keeps other sites' pages out).

While the database is unreachable nothing can be checked: the socket is closed with 1013 (try again later)
and a reason, never left to fail the handshake with an HTTP 500.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.websockets import WebSocket

from protocol.messages import CloseCode
from server.http.access import SESSION_COOKIE, same_origin
from server.live.core.session import STORE_UNAVAILABLE_CLOSE
from server.logs import interview_id_var
from server.services.auth import SessionRefused
from server.services.links import LinkRefused, RefusalCode, check_link, check_watcher
from server.services.runtime import Services
from server.store.base import InterviewRecord, LinkRole, StoreUnavailable

log = logging.getLogger("viva.live")

#: The WebSocket close code of each way a link can be refused (``HTTP_STATUS`` in :mod:`server.http.access`).
CLOSE_CODES: dict[RefusalCode, int] = {
    "token_required": CloseCode.UNAUTHORIZED,
    "invalid_token": CloseCode.UNAUTHORIZED,
    "wrong_link": CloseCode.FORBIDDEN,
    "token_expired": CloseCode.TOKEN_EXPIRED,
    "token_revoked": CloseCode.TOKEN_REVOKED,
}


@dataclass(frozen=True)
class Credential:
    """What a socket came in with: a token (``?token=``) and, for an observer, the session cookie."""

    token: str | None
    session: str | None = None


def close_for(refused: LinkRefused) -> tuple[int, str]:
    return CLOSE_CODES[refused.code], refused.message


def _cookie_from_elsewhere(websocket: WebSocket, services: Services, credential: Credential) -> bool:
    """A session-only observer socket opened by a page of another origin (even a configured CORS origin, or a
    sibling subdomain, to which SameSite=Strict still sends the cookie): refused like a cross-site POST."""
    return not credential.token and not same_origin(websocket, services.settings)


async def check_observer(services: Services, interview_id: str, credential: Credential) -> None:
    """The observer link of this interview, the admin token, or a live recruiter's session; raise
    :class:`LinkRefused` otherwise. An offered token is judged alone. Checked again before each action."""
    if credential.token:
        await check_watcher(services, interview_id, credential.token)
        return
    if services.auth.open:
        return
    try:
        services.auth.check_session(credential.session)
    except SessionRefused as refused:
        if refused.problem == "missing":
            message = "Send the observer link's token, or sign in as the recruiter."
            raise LinkRefused("token_required", message) from None
        code: RefusalCode = "token_expired" if refused.problem == "expired" else "invalid_token"
        raise LinkRefused(code, refused.message) from None


def holds_observer_link(services: Services, credential: Credential) -> bool:
    """Whether the observer came in with the interview's observer link (so revoking it must shut them out)."""
    return bool(credential.token) and not services.auth.is_admin(credential.token)


async def admit_socket(websocket: WebSocket, role: LinkRole) -> tuple[Services, InterviewRecord, Credential] | None:
    """Check a socket's interview and credential before anything else; refuse it with its close code if wrong.

    A refused socket is accepted and then closed, so that browsers can see the close code.
    """
    services: Services = websocket.app.state.services
    interview_id = websocket.path_params["interview_id"]
    credential = Credential(websocket.query_params.get("token") or None, websocket.cookies.get(SESSION_COOKIE))
    interview_id_var.set(interview_id)
    code, reason = CloseCode.NOT_FOUND, "no such interview"
    try:
        record = await services.store.get_interview(interview_id)
        if record is not None and role == "observer" and _cookie_from_elsewhere(websocket, services, credential):
            code, reason = CloseCode.FORBIDDEN, "a signed-in live room opens only from this server's own pages"
        elif record is not None:
            if role == "observer":
                await check_observer(services, interview_id, credential)
            else:
                await check_link(services, interview_id, credential.token, role)
            return services, record, credential
    except LinkRefused as refused:
        code, reason = close_for(refused)
    except StoreUnavailable as exc:
        log.warning("a socket of the %s link was refused: %s", role, exc)
        code, reason = STORE_UNAVAILABLE_CLOSE
    await refuse(websocket, code, reason)
    return None


async def refuse(websocket: WebSocket, code: int, reason: str) -> None:
    """Accept, then close with ``code``: a browser sees the code only on a socket that was accepted."""
    await websocket.accept()
    await websocket.close(code=code, reason=reason)
