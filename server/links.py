"""Who holds which link: an interview's candidate link answers, its observer link watches and steers.

A token is checked against the digests the store keeps, then against the link's expiry and revocation. Every
way a token can fail has its own refusal, with an HTTP status and error code for the REST routes and a
WebSocket close code for the sockets, so a client can tell the holder exactly what went wrong.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from starlette.websockets import WebSocket

from protocol.messages import CloseCode
from server.logs import interview_id_var
from server.services import Services
from server.store.base import InterviewRecord, LinkRole
from server.store.tokens import hash_token


class LinkRefused(Exception):
    """A token that does not open the link it was offered for, and how to say so over HTTP and WebSocket."""

    def __init__(self, status: int, code: str, message: str, close_code: int) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.close_code = close_code


_WRONG_TOKEN = {
    "candidate": "The candidate token does not match this interview.",
    "observer": "The token does not give access to this interview.",
}
_WRONG_ROLE = {
    "candidate": "This is the observer's link: it can watch and steer the interview, not answer in it.",
    "observer": "This is the candidate's link: it can answer, not watch or steer.",
}


def is_admin(services: Services, token: str | None) -> bool:
    admin = services.settings.admin_token
    return admin is not None and token is not None and hmac.compare_digest(admin.get_secret_value(), token)


async def check_link(services: Services, interview_id: str, token: str | None, role: LinkRole) -> None:
    """Accept a valid token of ``role``'s link of this interview; raise :class:`LinkRefused` otherwise."""
    if not token:
        raise LinkRefused(401, "token_required", f"Send the {role} link's token.", CloseCode.UNAUTHORIZED)
    match = await services.store.match_token(interview_id, hash_token(token))
    if match is None:
        raise LinkRefused(403, "invalid_token", _WRONG_TOKEN[role], CloseCode.UNAUTHORIZED)
    if match.role != role:
        raise LinkRefused(403, "wrong_link", _WRONG_ROLE[role], CloseCode.FORBIDDEN)
    status = match.status(datetime.now(UTC))
    if status == "expired":
        raise LinkRefused(401, "token_expired", f"The {role} link has expired.", CloseCode.TOKEN_EXPIRED)
    if status == "revoked":
        raise LinkRefused(401, "token_revoked", f"The {role} link has been revoked.", CloseCode.TOKEN_REVOKED)


async def check_watcher(services: Services, interview_id: str, token: str | None) -> None:
    """The observer link of this interview, or the admin token, which may watch every interview."""
    if not is_admin(services, token):
        await check_link(services, interview_id, token, "observer")


async def admit_socket(websocket: WebSocket, role: LinkRole) -> tuple[Services, InterviewRecord, str] | None:
    """Check a socket's interview and link before anything else; refuse it with its close code if wrong.

    A refused socket is accepted and then closed, so that browsers can see the close code. The admin token
    opens any observer link.
    """
    services: Services = websocket.app.state.services
    interview_id = websocket.path_params["interview_id"]
    token = websocket.query_params.get("token", "")
    interview_id_var.set(interview_id)
    record = await services.store.get_interview(interview_id)
    code, reason = CloseCode.NOT_FOUND, "no such interview"
    if record is not None:
        try:
            if role == "observer":
                await check_watcher(services, interview_id, token)
            else:
                await check_link(services, interview_id, token, role)
            return services, record, token
        except LinkRefused as refused:
            code, reason = refused.close_code, refused.message
    await websocket.accept()
    await websocket.close(code=code, reason=reason)
    return None
